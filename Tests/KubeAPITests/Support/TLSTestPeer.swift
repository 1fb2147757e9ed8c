import Foundation
import TestSupport
import Logging
import HTTPServerCore

/// A TLS peer for transport tests: the project's own webhook server (`HTTPServerCore.HTTPServer`) on
/// 127.0.0.1 with a free port, serving certificates from `certs/make-certs.sh --local`
/// (SANs localhost, 127.0.0.1, ::1) and answering every request with a fixed response.
final class TLSTestPeer: Sendable {
    /// The certificate set the server presents.
    let certificates: TestCertificates
    private let server: HTTPServer
    /// The bound port.
    let port: UInt16

    /// Starts the server with `certificates` (the shared set when `nil`), answering `reply` to everything.
    init(certificates: TestCertificates? = nil, reply: HTTPResponse = .text(200, "hello over TLS")) throws {
        let certificates = certificates ?? TestCertificates.shared
        self.certificates = certificates
        let store = try CertificateStore(certificateFile: certificates.certificateFile, keyFile: certificates.keyFile)
        var logger = Logger(label: "tls-test-peer")
        logger.logLevel = .critical
        var configuration = HTTPServer.Configuration()
        configuration.eventLoopCount = 1
        server = HTTPServer(configuration: configuration, listeners: [
            .init(name: "tls", address: ListenAddress(host: "127.0.0.1", port: 0), tls: store,
                  responder: FixedResponder(response: reply)),
        ], observer: SilentServerObserver(), logger: logger)
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

}
