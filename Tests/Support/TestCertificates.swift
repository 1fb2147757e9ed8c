import Foundation

/// Certificates made for the tests by the project's own tool, `certs/make-certs.sh --local`
/// (ECDSA P-256, SANs localhost, 127.0.0.1, ::1), into a fresh temporary folder. Shared by every
/// test target that needs TLS (test support, not part of the binary).
public struct TestCertificates: Sendable {
    /// The folder holding `ca.crt`, `tls.crt` and `tls.key`.
    public let directory: URL
    public var caFile: String { directory.appending(path: "ca.crt").path }
    public var certificateFile: String { directory.appending(path: "tls.crt").path }
    public var keyFile: String { directory.appending(path: "tls.key").path }

    static let script = URL(filePath: #filePath).deletingLastPathComponent()   // Support
        .deletingLastPathComponent().deletingLastPathComponent()  // repo
        .appending(path: "certs/make-certs.sh").path

    /// Makes a CA and a serving certificate; extra arguments go to the script (e.g. `--days 1`).
    public static func make(_ arguments: [String] = [], in directory: URL? = nil) throws -> TestCertificates {
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

    /// `make-certs.sh` failed; its standard error.
    public struct CertificateScriptError: Error { public let message: String }

    /// One set shared by the tests that only need a working certificate (a missing folder when the
    /// script failed, so those tests fail on the files).
    public static let shared = makeOrMissing()
    /// A second, unrelated set: its CA did not sign `shared`'s certificate.
    public static let other = makeOrMissing()

    /// The bytes of `path`.
    public func bytes(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(filePath: path)))
    }

    private static func makeOrMissing() -> TestCertificates {
        do { return try make() } catch { return TestCertificates(directory: URL(filePath: "/nonexistent")) }
    }
}
