import Foundation
import Synchronization

/// The GigaVUE-OS CLI simulator (`Tests/GigaVUESimulator`, Python + asyncssh) as a process on
/// loopback, for tests, the benchmark and the demo: started with a fresh password, host key and
/// known_hosts file in a directory of its own, stopped when this object goes away (and, through
/// `--exit-on-stdin-eof`, when this process dies).
public final class GigaVUESimulator: Sendable {
    /// Settings of one simulator.
    public struct Options: Sendable {
        /// The login password (written to a file; never on a command line).
        public var password = "sim-password-\(UUID().uuidString.prefix(8))"
        /// When set, `enable` asks for it.
        public var enablePassword: String?
        /// OpenSSH public key lines accepted for public-key login.
        public var authorizedKeys: [String] = []
        /// `--ports`, `nil` for the simulator's default chassis.
        public var ports: String?
        /// `--source-ports`, `nil` for the default `1/1/x45..x48`.
        public var sourcePorts: String?
        /// The shown hostname.
        public var hostname = "gigavue-sim"

        /// The defaults: a random password, no enable password, the default chassis.
        public init() {}
    }

    /// The SSH port on 127.0.0.1.
    public let sshPort: Int
    /// The control API port on 127.0.0.1.
    public let controlPort: Int
    /// The primary host key's fingerprint (`SHA256:…`).
    public let hostKeySHA256: String
    /// The fingerprint presented while the `alternate_host_key` fault is on.
    public let alternateHostKeySHA256: String
    /// A known_hosts file with the primary key for `[127.0.0.1]:sshPort`.
    public let knownHostsFile: String
    /// A file holding the login password.
    public let passwordFile: String
    /// A file holding the enable password, when one is set.
    public let enablePasswordFile: String?
    /// The options it was started with.
    public let options: Options
    /// The simulator's standard error (its log), for failure messages.
    public let logFile: String

    private let process: Process
    private let stdinPipe: Pipe
    private let directory: URL

    /// Starts a simulator and waits for its JSON line.
    /// - Throws: `SimulatorError` when Python, asyncssh or the script is missing, or it does not start in 30 s.
    public init(_ options: Options = Options()) async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "gigavue-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws -> String {
            let url = directory.appending(path: name)
            try Data(text.utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            return url.path
        }
        passwordFile = try write("password", options.password + "\n")
        enablePasswordFile = try options.enablePassword.map { try write("enable-password", $0 + "\n") }
        knownHostsFile = directory.appending(path: "known_hosts").path
        logFile = directory.appending(path: "simulator.log").path
        var arguments = [Self.script.path, "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0",
                         "--password-file", passwordFile, "--host-key", directory.appending(path: "host_key").path,
                         "--alternate-host-key", directory.appending(path: "alternate_host_key").path,
                         "--known-hosts-out", knownHostsFile, "--hostname", options.hostname, "--exit-on-stdin-eof"]
        if let enablePasswordFile { arguments += ["--enable-password-file", enablePasswordFile] }
        if !options.authorizedKeys.isEmpty {
            arguments += ["--authorized-keys", try write("authorized_keys", options.authorizedKeys.joined(separator: "\n") + "\n")]
        }
        if let ports = options.ports { arguments += ["--ports", ports] }
        if let sourcePorts = options.sourcePorts { arguments += ["--source-ports", sourcePorts] }

        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = [Self.python] + arguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = try FileHandle(forWritingTo: URL(filePath: logFile))
        try process.run()
        let line = try await Self.firstLine(of: stdoutPipe.fileHandleForReading, process: process, logFile: logFile)
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let ssh = object["ssh_port"] as? Int, let control = object["control_port"] as? Int,
              let key = object["host_key_sha256"] as? String, let alternate = object["alternate_host_key_sha256"] as? String
        else {
            process.terminate()
            throw SimulatorError(description: "unexpected first line from the simulator: \(line)")
        }
        self.sshPort = ssh
        self.controlPort = control
        self.hostKeySHA256 = key
        self.alternateHostKeySHA256 = alternate
        self.options = options
        self.process = process
        self.stdinPipe = stdinPipe
        self.directory = directory
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops the simulator (SIGTERM) and waits up to 5 s for it to go.
    public func stop() {
        guard process.isRunning else { return }
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Whether the process still runs.
    public var isRunning: Bool { process.isRunning }

    /// The simulator's log so far (standard error).
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// `Tests/GigaVUESimulator/gigavue_simulator.py` in this checkout (found from this file's path).
    static var script: URL { checkout.appending(path: "Tests/GigaVUESimulator/gigavue_simulator.py") }

    /// The Python that runs the simulator: `TROXILEIA_TEST_PYTHON` (`make` sets it to the project's
    /// virtualenv), else that virtualenv in this checkout (`.build-venv`, made by `make venv`), else
    /// python3 from PATH. Never the global interpreter when the virtualenv exists, so a test cannot
    /// pass on a package that was installed into python3 by hand.
    static var python: String {
        if let chosen = ProcessInfo.processInfo.environment["TROXILEIA_TEST_PYTHON"], !chosen.isEmpty { return chosen }
        let venv = checkout.appending(path: ".build-venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// The checkout's root, found from this file's path.
    private static var checkout: URL {
        var url = URL(filePath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // GigaVUESimulator.swift, GigaVUESimulatorHarness, Sources
        return url
    }

    private static func firstLine(of handle: FileHandle, process: Process, logFile: String) async throws -> String {
        let collected = Mutex<Data>(Data())
        handle.readabilityHandler = { handle in
            let data = handle.availableData
            collected.withLock { $0.append(data) }
        }
        defer { handle.readabilityHandler = nil }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let data = collected.withLock { $0 }
            if let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: data[..<newline], as: UTF8.self)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        throw SimulatorError(description: "the simulator did not start with \(python) (is asyncssh installed? "
                             + "make venv installs it into .build-venv):\n\(log)")
    }
}

/// The simulator could not be started or answered unexpectedly.
public struct SimulatorError: Error, CustomStringConvertible {
    public let description: String
}
