import Logging
@testable import HTTPServerCore
import TestSupport

/// Runs `body` against a plain-HTTP server on `host` (127.0.0.1 by default) with a free port serving
/// `responder`, and shuts the server down afterwards whatever happens. `configure` adjusts the
/// server's limits and timers.
func withPlainServer<Responder: HTTPResponder>(_ responder: Responder, host: String = "127.0.0.1",
                                               configure: (inout HTTPServer.Configuration) -> Void = { _ in },
                                               _ body: (UInt16, Responder) async throws -> Void) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    var configuration = HTTPServer.Configuration()
    configure(&configuration)
    let server = HTTPServer(configuration: configuration,
                            listeners: [.init(name: "api", address: ListenAddress(host: host, port: 0), tls: nil, responder: responder)],
                            observer: SilentServerObserver(), logger: logger)
    let port = try server.start()["api"] ?? 0
    do { try await body(port, responder) } catch { await server.shutdown(); throw error }
    await server.shutdown()
}
