import Foundation

/// Certificates made for the tests by the project's own tool, `certs/make-certs.sh --local`
/// (ECDSA P-256, SANs localhost, 127.0.0.1, ::1), into a fresh temporary folder.
struct TestCertificates: Sendable {
    let directory: URL
    var caFile: String { directory.appending(path: "ca.crt").path }
    var certificateFile: String { directory.appending(path: "tls.crt").path }
    var keyFile: String { directory.appending(path: "tls.key").path }

    static let script = URL(filePath: #filePath).deletingLastPathComponent()   // Support
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()  // repo
        .appending(path: "certs/make-certs.sh").path

    /// Makes a CA and a serving certificate; extra arguments go to the script (e.g. `--days 1`).
    static func make(_ arguments: [String] = [], in directory: URL? = nil) throws -> TestCertificates {
        let directory = directory ?? FileManager.default.temporaryDirectory.appending(path: "troxileia-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(filePath: "/bin/bash")
        process.arguments = [script, "--local", "--out", directory.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CertificateScriptError(message: String(decoding: message, as: UTF8.self))
        }
        return TestCertificates(directory: directory)
    }

    struct CertificateScriptError: Error { let message: String }

    /// One set shared by the tests that only need a working certificate.
    static let shared: TestCertificates = {
        do { return try make() } catch { return TestCertificates(directory: URL(filePath: "/nonexistent")) }
    }()
}
