import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The simulator's control API (Tests/GigaVUESimulator/README.md "Control API").
extension GigaVUESimulator {
    /// What the device holds now.
    public struct State: Sendable {
        /// `show running-config` as the device prints it.
        public let runningConfig: String
        /// GigaStream alias → ports (CLI form).
        public let gigastreams: [String: [String]]
        /// Map alias → (`from`, `to`) as written.
        public let maps: [String: (from: String, to: String)]
        /// Map alias → the ports its `to` resolves to.
        public let mapDestinations: [String: [String]]
        /// Port → type, for ports whose type was set.
        public let portTypes: [String: String]
        /// How many `write memory` succeeded.
        public let saves: Int
    }

    /// One entry of the command log.
    public struct LogEntry: Sendable {
        public let sequence: Int
        public let session: String
        public let mode: String
        public let line: String?
        public let event: String?
        public let output: [String]
    }

    /// The device's state.
    public func state() async throws -> State {
        let object = try await request("GET", "/state")
        let maps = object["maps"] as? [String: [String: Any]] ?? [:]
        return State(
            runningConfig: object["running_config"] as? String ?? "",
            gigastreams: object["gigastreams"] as? [String: [String]] ?? [:],
            maps: maps.mapValues { ($0["from"] as? String ?? "", $0["to"] as? String ?? "") },
            mapDestinations: maps.mapValues { $0["to_ports"] as? [String] ?? [] },
            portTypes: object["port_types"] as? [String: String] ?? [:],
            saves: object["saves"] as? Int ?? 0)
    }

    /// One interval during which the source group's traffic reached a tool port (simulator clock,
    /// seconds since the epoch); `end` is `nil` while it still flows.
    public struct TrafficInterval: Sendable, Equatable {
        /// When traffic started reaching the port.
        public let start: Double
        /// When it stopped, `nil` while it flows.
        public let end: Double?
    }

    /// Per tool port (CLI form), the intervals during which traffic reached it (`GET /traffic`, issue 15).
    public func traffic() async throws -> [String: [TrafficInterval]] {
        let object = try await request("GET", "/traffic")
        let ports = object["ports"] as? [String: [[Any]]] ?? [:]
        return ports.mapValues { spans in
            spans.map { TrafficInterval(start: $0.first as? Double ?? 0, end: $0.count > 1 ? $0[1] as? Double : nil) }
        }
    }

    /// The command log from entry `since` on.
    public func commandLog(since: Int = 0) async throws -> [LogEntry] {
        let object = try await request("GET", "/log?since=\(since)")
        let entries = object["entries"] as? [[String: Any]] ?? []
        return entries.map {
            LogEntry(sequence: $0["seq"] as? Int ?? 0, session: $0["session"] as? String ?? "",
                     mode: $0["mode"] as? String ?? "", line: $0["line"] as? String, event: $0["event"] as? String,
                     output: $0["output"] as? [String] ?? [])
        }
    }

    /// The lines typed in SSH sessions (not the control API's), in order.
    public func receivedLines(since: Int = 0) async throws -> [String] {
        try await commandLog(since: since).filter { $0.session.hasPrefix("s") }.compactMap(\.line)
    }

    /// Turns faults on (field names of the README's fault table).
    public func setFaults(_ faults: [String: any Sendable]) async throws {
        _ = try await request("POST", "/faults", body: faults)
    }

    /// Turns every fault off.
    public func clearFaults() async throws {
        _ = try await request("DELETE", "/faults")
    }

    /// Runs configuration lines as an operator at the console would; returns how many got a `%` answer.
    @discardableResult
    public func configure(_ lines: [String]) async throws -> Int {
        let object = try await request("POST", "/configure", body: ["lines": lines])
        return object["errors"] as? Int ?? 0
    }

    /// Back to the initial state, faults off, log emptied.
    public func reset() async throws {
        _ = try await request("POST", "/reset")
    }

    private func request(_ method: String, _ path: String, body: [String: any Sendable]? = nil) async throws -> [String: Any] {
        guard let url = URL(string: "http://127.0.0.1:\(controlPort)\(path)") else {
            throw SimulatorError(description: "bad control path \(path)")
        }
        var request = URLRequest(url: url, timeoutInterval: 15)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard status == 200 else {
            throw SimulatorError(description: "\(method) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }
}
