import Foundation
import Logging
import Webhook

/// A TLS peer for transport tests: the project's own webhook server (`Webhook.HTTPServer`) on
/// 127.0.0.1 with a free port, serving certificates from `certs/make-certs.sh --local`
/// (SANs localhost, 127.0.0.1, ::1) and answering every request with a fixed response.
final class TLSTestPeer: Sendable {
    /// The certificate set the server presents.
    let certificates: TransportTestCertificates
    private let server: HTTPServer
    /// The bound port.
    let port: UInt16

    /// Starts the server with `certificates` (the shared set when `nil`), answering `reply` to everything.
    init(certificates: TransportTestCertificates? = nil, reply: HTTPResponse = .text(200, "hello over TLS")) throws {
        let certificates = try certificates ?? TransportTestCertificates.shared.get()
        self.certificates = certificates
        let store = try CertificateStore(certificateFile: certificates.certificateFile, keyFile: certificates.keyFile)
        var logger = Logger(label: "tls-test-peer")
        logger.logLevel = .critical
        var configuration = HTTPServer.Configuration()
        configuration.eventLoopCount = 1
        server = HTTPServer(configuration: configuration, listeners: [
            .init(name: "tls", address: ListenAddress(host: "127.0.0.1", port: 0), tls: store,
                  responder: FixedResponder(response: reply)),
        ], observer: SilentObserver(), logger: logger)
        port = try server.start()["tls"] ?? 0
    }

    /// `https://127.0.0.1:<port>`; the certificate names 127.0.0.1, so host verification passes.
    var baseURL: String { "https://127.0.0.1:\(port)" }

    /// Closes every connection and ends the server's threads.
    func stop() async { await server.shutdown() }

    private struct FixedResponder: HTTPResponder {
        let response: HTTPResponse
        func respond(to request: HTTPRequest) -> HTTPResponse { response }
    }

    private struct SilentObserver: HTTPServerObserver {
        func connectionOpened(listener: String) {}
        func connectionClosed(listener: String) {}
        func connectionRefused(listener: String) {}
        func handshakeFailed(listener: String, reason: HandshakeFailure) {}
        func malformedRequest(listener: String, status: Int) {}
    }
}

/// Certificates made by the project's own tool, `certs/make-certs.sh --local`, in a fresh
/// temporary folder: `ca.crt`, `tls.crt`, `tls.key` (ECDSA P-256).
struct TransportTestCertificates: Sendable {
    let directory: URL
    var caFile: String { directory.appending(path: "ca.crt").path }
    var certificateFile: String { directory.appending(path: "tls.crt").path }
    var keyFile: String { directory.appending(path: "tls.key").path }

    private static let script = URL(filePath: #filePath).deletingLastPathComponent()   // Support
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()  // repo
        .appending(path: "certs/make-certs.sh").path

    /// One set shared by the tests that need a working server certificate.
    static let shared = Result { try make() }
    /// A second, unrelated set: its CA did not sign `shared`'s certificate.
    static let other = Result { try make() }

    /// Runs the script into a new temporary folder.
    static func make() throws -> TransportTestCertificates {
        let directory = FileManager.default.temporaryDirectory.appending(path: "troxileia-transport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(filePath: "/bin/bash")
        process.arguments = [script, "--local", "--out", directory.path]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ScriptFailure(message: String(decoding: message, as: UTF8.self))
        }
        return TransportTestCertificates(directory: directory)
    }

    /// The bytes of `path`.
    func bytes(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(filePath: path)))
    }

    /// `make-certs.sh` failed; its standard error.
    struct ScriptFailure: Error {
        var message: String
    }
}
