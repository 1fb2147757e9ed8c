import Foundation
import Synchronization

/// A `troxileia` process left running (for `run`): its standard error is collected as it
/// comes, so tests can wait for a log line, send signals, and wait for the exit.
final class RunningTroxileia: Sendable {
    private let process: Process
    private let errorText = Mutex<String>("")

    /// Starts `troxileia ARGUMENTS`; with `fileLimit`, under `prlimit --nofile` (RLIMIT_NOFILE), which
    /// execs it, so the process id is troxileia's own.
    init(_ arguments: [String], environment: [String: String] = [:], fileLimit: Int? = nil) throws {
        process = Process()
        if let fileLimit {
            process.executableURL = URL(filePath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(fileLimit):\(fileLimit)", "--", TroxileiaProcess.executable.path] + arguments
        } else {
            process.executableURL = TroxileiaProcess.executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TROXILEIA_") }
            .merging(environment) { $1 }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if !data.isEmpty { self?.errorText.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
    }

    deinit { if process.isRunning { process.terminate() } }

    var standardError: String { errorText.withLock { $0 } }
    var processIdentifier: Int32 { process.processIdentifier }

    /// CPU time the process has used so far (user + system), from `/proc/PID/stat`.
    var cpuTime: Duration {
        get throws {
            let stat = try String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)
            // After "(comm)": state is field 3, utime 14 and stime 15, in clock ticks.
            let fields = stat[stat.index(after: stat.lastIndex(of: ")") ?? stat.startIndex)...].split(separator: " ")
            guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
                throw WaitError(description: "unreadable /proc/PID/stat: \(stat)")
            }
            return .seconds(Double(user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
        }
    }
    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }

    /// The first log line containing `text`, waiting up to `timeout`.
    func waitForLine(containing text: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = standardError.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WaitError(description: "no line with \"\(text)\"; standard error so far:\n\(standardError)")
    }

    /// The `name.port` fields of the JSON "listening" line.
    func listeningPorts() async throws -> (webhook: UInt16, probes: UInt16) {
        let line = try await waitForLine(containing: "webhook server listening")
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        guard let webhook = (object?["webhook.port"] as? String).flatMap(UInt16.init),
              let probes = (object?["probes.port"] as? String).flatMap(UInt16.init) else {
            throw WaitError(description: "no ports in \(line)")
        }
        return (webhook, probes)
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit; `false` if still running after `timeout`.
    func waitForExit(timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        return !process.isRunning
    }

    struct WaitError: Error, CustomStringConvertible { let description: String }
}

/// `curl` as the client: a real, independent HTTP and TLS implementation.
enum Curl {
    struct Reply {
        let status: Int
        let body: String
    }

    static func request(_ url: String, caFile: String? = nil, body: Data? = nil) throws -> Reply {
        var arguments = ["-sS", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}"]
        if let caFile { arguments += ["--cacert", caFile] }
        if let body {
            let file = FileManager.default.temporaryDirectory.appending(path: "body-\(UUID().uuidString).json")
            try body.write(to: file)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@\(file.path)"]
        }
        let outcome = try run(arguments + [url])
        let lines = outcome.split(separator: "\n", omittingEmptySubsequences: false)
        return Reply(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast().joined(separator: "\n"))
    }

    private static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/curl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
