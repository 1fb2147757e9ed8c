import HTTPServerCore
import Prometheus
import Synchronization

/// Whether this replica should receive admission calls: certificate loaded, node inventory
/// synced, not shutting down.
public final class Readiness: Sendable {
    private let shuttingDown = Atomic<Bool>(false)
    private let synced: @Sendable () -> Bool

    /// - Parameter synced: reads the node inventory's sync state.
    public init(synced: @escaping @Sendable () -> Bool) { self.synced = synced }

    /// Readiness goes false for good (SIGTERM).
    public func markShuttingDown() { shuttingDown.store(true, ordering: .releasing) }

    /// `nil` when ready, else why not.
    public var notReadyReason: String? {
        if shuttingDown.load(ordering: .acquiring) { return "shutting down" }
        if !synced() { return "node inventory not synced yet" }
        return nil
    }
}

/// The plain-HTTP probe listener's routes: `/healthz`, `/readyz`, `/metrics`. Kept off the TLS
/// listener so probes and scrapes never compete with kube-apiserver for connections.
public struct ProbeRoutes: HTTPResponder {
    private let readiness: Readiness
    private let metrics: WebhookMetrics

    public init(readiness: Readiness, metrics: WebhookMetrics) {
        self.readiness = readiness
        self.metrics = metrics
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let routes = ["/healthz", "/readyz", "/metrics"]
        guard routes.contains(request.path) else { return .text(404, "not found; try /healthz, /readyz or /metrics\n") }
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.text(405, "\(request.path) takes GET\n")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return response
        }
        switch request.path {
        case "/healthz":
            return .text(200, "ok\n")
        case "/readyz":
            if let reason = readiness.notReadyReason { return .text(503, "not ready: \(reason)\n") }
            return .text(200, "ok\n")
        default:
            var response = HTTPResponse(status: 200, headers: HTTPHeaders(), body: metrics.registry.emitToBuffer())
            response.headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            return response
        }
    }
}
