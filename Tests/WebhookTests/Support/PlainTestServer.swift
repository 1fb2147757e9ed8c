import Logging
@testable import Webhook

/// Runs `body` against a plain-HTTP server on 127.0.0.1 with a free port serving `responder`,
/// and shuts the server down afterwards whatever happens.
func withPlainServer<Responder: HTTPResponder>(_ responder: Responder,
                                               _ body: (UInt16, Responder) async throws -> Void) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = HTTPServer(listeners: [.init(name: "api", address: ListenAddress(host: "127.0.0.1", port: 0), tls: nil,
                                              responder: responder)], observer: WebhookMetrics(), logger: logger)
    let port = try server.start()["api"] ?? 0
    do { try await body(port, responder) } catch { await server.shutdown(); throw error }
    await server.shutdown()
}
