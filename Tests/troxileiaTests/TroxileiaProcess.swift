import Foundation

/// Runs the built `troxileia` binary as a separate process, as a user would.
struct TroxileiaProcess {
    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// The binary SwiftPM built next to this test bundle.
    static let executable: URL = {
        let bundleDirectory = URL(filePath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [bundleDirectory, bundleDirectory.deletingLastPathComponent()]
        return candidates.map { $0.appending(path: "troxileia") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? bundleDirectory.appending(path: "troxileia")
    }()

    static let fixtures = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appending(path: name).path }

    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A CA and a serving certificate for 127.0.0.1 (`certs/make-certs.sh --local`) in a new folder
    /// holding `ca.crt`, `tls.crt` and `tls.key`.
    static func makeCertificates() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "run-certs-\(UUID().uuidString)")
        let outcome = Process()
        outcome.executableURL = URL(filePath: "/bin/bash")
        outcome.arguments = [repository.appending(path: "certs/make-certs.sh").path, "--local", "--out", directory.path]
        outcome.standardOutput = FileHandle.nullDevice
        try outcome.run()
        outcome.waitUntilExit()
        return directory
    }

    /// Runs `troxileia ARGUMENTS` with `environment` added to a clean environment (no stray
    /// `TROXILEIA_*` twin from the caller), feeding `input` to standard input, and waits for it.
    /// `executable` replaces the built binary's path (e.g. a symlink to it under another name).
    static func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
                    executable: URL = executable) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TROXILEIA_") }
            .merging(environment) { $1 }
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        // Drain both pipes concurrently so a large report cannot block the child on a full pipe.
        let outputData = LockedData(), errorData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(output, outputData), (error, errorData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        if let input { standardInput.fileHandleForWriting.write(input) }
        try standardInput.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Outcome(status: process.terminationStatus,
                       standardOutput: String(decoding: outputData.get(), as: UTF8.self),
                       standardError: String(decoding: errorData.get(), as: UTF8.self))
    }
}

/// A `Data` written by one thread and read by another after a `DispatchGroup` wait.
private final class LockedData: @unchecked Sendable {
    // Invariant: every access holds `lock`.
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
