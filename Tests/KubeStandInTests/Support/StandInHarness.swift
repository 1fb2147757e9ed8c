import Foundation
import KubeAPI
import KubeStandIn
import Logging
import HTTPServerCore

/// A running stand-in on 127.0.0.1 and a real libcurl client for it.
struct StandInHarness {
    let standIn: KubeStandIn
    let client: CurlTransport
    let port: UInt16

    /// Starts a stand-in with `configure` applied, runs `body`, shuts everything down.
    static func run(_ body: (StandInHarness) async throws -> Void) async throws {
        try await run(configuring: { _ in }, body)
    }

    /// Starts a stand-in with `configure` applied, runs `body`, shuts everything down.
    static func run(configuring configure: (inout KubeStandIn.Configuration) -> Void,
                    _ body: (StandInHarness) async throws -> Void) async throws {
        var configuration = KubeStandIn.Configuration()
        configure(&configuration)
        var logger = Logger(label: "standin-test")
        logger.logLevel = .critical
        let standIn = try KubeStandIn(configuration: configuration, logger: logger)
        let port = try standIn.start()
        var clientConfiguration = CurlTransport.Configuration(server: "http://127.0.0.1:\(port)")
        clientConfiguration.allowPlainHTTP = true
        let client = try CurlTransport(configuration: clientConfiguration)
        let harness = StandInHarness(standIn: standIn, client: client, port: port)
        do { try await body(harness) } catch {
            await client.shutdown()
            await standIn.shutdown()
            throw error
        }
        await client.shutdown()
        await standIn.shutdown()
    }

    /// Sends one request and returns the whole response.
    func send(_ method: KubeRequest.Method = .get, _ path: String, body: String? = nil, contentType: String? = nil,
              accept: String = "application/json") async throws -> KubeResponse {
        let type = contentType ?? (body == nil ? nil : method == .patch ? "application/merge-patch+json" : "application/json")
        return try await client.send(KubeRequest(method: method, path: path, accept: accept, contentType: type,
                                                 body: body.map { Array($0.utf8) }, timeout: .seconds(10)))
    }

    /// Loads the three nodes of list/nodes-list.json.
    func seedFixtureNodes() throws {
        try standIn.load(.nodes, document: try Fixture.bytes("list/nodes-list.json"))
    }

    /// Reads a watch until `count` lines arrived or the stream ended; returns the lines.
    /// `whileWatching` runs once the stand-in has registered the watch (the transport reports
    /// the head only with the first body bytes, so the head cannot be the signal).
    func watchLines(_ path: String, count: Int, accept: String = "application/json",
                    whileWatching: @escaping @Sendable () async throws -> Void = {}) async throws -> [String] {
        let store = standIn.store
        let before = store.openWatchCount
        let parts = client.stream(KubeRequest(path: path, accept: accept, timeout: nil))
        let driver = Task {
            for _ in 0..<500 where store.openWatchCount <= before { try await Task.sleep(for: .milliseconds(10)) }
            try await whileWatching()
        }
        var buffer: [UInt8] = []
        var lines: [String] = []
        for try await part in parts {
            guard case .body(let bytes) = part else { continue }
            buffer += bytes
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer.removeSubrange(...newline)
            }
            if lines.count >= count { break }
        }
        try await driver.value
        return lines
    }
}

/// Test fixtures copied from ../shared/fixtures/kube (real kube-apiserver captures).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }

    /// The fixture parsed, key order kept.
    static func json(_ name: String) throws -> JSONValue { try JSONParser.parse(try bytes(name)) }
}

extension JSONValue {
    /// The member names of an object, in order.
    var keys: [String] { (members ?? []).map(\.0) }
}

extension KubeResponse {
    /// The body parsed.
    func json() throws -> JSONValue { try JSONParser.parse(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
}
