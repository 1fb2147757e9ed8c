import HTTPServerCore
import Logging
import ServiceLifecycle

/// The webhook as a `Service`: serves the TLS and probe listeners until graceful shutdown,
/// then drains the way kube-apiserver needs.
///
/// On SIGTERM readiness turns false at once, but the listeners keep accepting and serving for
/// `shutdownDelay` (the apiserver keeps calling a terminating pod until its endpoints update; a
/// refused connection would fail the label edit). Then responses carry `Connection: close`, idle
/// connections close, in-flight requests finish, and whatever is left is closed when
/// `shutdownGrace` runs out.
public final class WebhookService: Service, Sendable {
    /// Shutdown timing.
    public struct Configuration: Sendable {
        /// Serving on after SIGTERM (`--shutdown-delay`, default 5 s).
        public var shutdownDelay: Duration = .seconds(5)
        /// Draining after the delay (`--shutdown-grace`, default 10 s).
        public var shutdownGrace: Duration = .seconds(10)

        public init(shutdownDelay: Duration = .seconds(5), shutdownGrace: Duration = .seconds(10)) {
            self.shutdownDelay = shutdownDelay
            self.shutdownGrace = shutdownGrace
        }
    }

    private let configuration: Configuration
    private let server: HTTPServer
    private let readiness: Readiness
    private let watchers: [CertificateWatcher]
    private let logger: Logger
    private let onListening: @Sendable ([String: UInt16]) -> Void

    /// - Parameter onListening: called once the listeners are bound, with their ports by name.
    public init(configuration: Configuration, server: HTTPServer, readiness: Readiness,
                certificateWatchers: [CertificateWatcher], logger: Logger,
                onListening: @escaping @Sendable ([String: UInt16]) -> Void = { _ in }) {
        self.configuration = configuration
        self.server = server
        self.readiness = readiness
        self.watchers = certificateWatchers
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let ports = try server.start()
        for watcher in watchers { watcher.start() }
        defer { for watcher in watchers { watcher.stop() } }
        var metadata: Logger.Metadata = [:]
        for (name, port) in ports { metadata["\(name).port"] = "\(port)" }
        logger.info("webhook server listening", metadata: metadata)
        onListening(ports)

        // Returns on graceful shutdown; throws if the task is cancelled (then skip the delay).
        let graceful = (try? await gracefulShutdown()) != nil
        readiness.markShuttingDown()
        if graceful {
            logger.info("shutting down: still serving during the shutdown delay",
                        metadata: ["shutdown.delay": "\(configuration.shutdownDelay)"])
            try? await Task.sleep(for: configuration.shutdownDelay)
        }
        server.startDraining()
        await server.stopAccepting()
        let deadline = ContinuousClock.now.advanced(by: graceful ? configuration.shutdownGrace : .zero)
        while server.connectionCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let abandoned = server.connectionCount
        await server.shutdown()
        logger.info("webhook server stopped", metadata: ["connections.closed_at_deadline": "\(abandoned)"])
    }
}
