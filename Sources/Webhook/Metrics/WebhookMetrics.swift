import HTTPServerCore
import Prometheus
import Synchronization
import TroxileiaCore

/// The webhook's Prometheus metrics (served on `/metrics` of the probe listener).
///
/// Every label takes values from a closed set (listener names, routes we define, status codes
/// we send, decision reasons), so no client input can grow the series count.
public final class WebhookMetrics: HTTPServerObserver, Sendable {
    /// The registry the metrics live in; the reconciler adds its own to the same one.
    public let registry: PrometheusCollectorRegistry
    private let requestDuration: DurationHistogram
    private let inFlight: Gauge
    private let certificateExpiry: Gauge
    private let certificateReloadFailing: Gauge
    /// Time to take a port claim in the API server (one to three requests).
    let claimDuration: DurationHistogram
    /// Labelled counters already registered, by label values: the registry builds the metric
    /// name and takes its lock on every `makeCounter`, which per request is work to skip.
    private let countersByLabels = Mutex<[String: Counter]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        // Admission calls take well under a millisecond; kube-apiserver gives up at timeoutSeconds (≤ 30 s).
        requestDuration = registry.makeDurationHistogram(
            descriptor: Self.name("request_duration", unit: "seconds", help: "Time to answer a request, from parsed request to serialized response."),
            buckets: [.microseconds(25), .microseconds(50), .microseconds(100), .microseconds(150), .microseconds(200),
                      .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
                      .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1)])
        // A claim is one to three API round trips: milliseconds in a cluster, up to the request timeout.
        claimDuration = registry.makeDurationHistogram(
            descriptor: Self.name("port_claim_duration", unit: "seconds", help: "Time to take a port claim in the API server, by any outcome."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
                      .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                      .seconds(1), .seconds(2.5), .seconds(5)])
        inFlight = registry.makeGauge(descriptor: Self.name("requests_in_flight", unit: "", help: "Requests being answered."))
        certificateExpiry = registry.makeGauge(descriptor: Self.name(
            "certificate_expiry", unit: "timestamp_seconds", help: "notAfter of the serving certificate, seconds since the epoch."))
        certificateReloadFailing = registry.makeGauge(descriptor: Self.name(
            "certificate_reload_failing", unit: "", help: "1 while the certificate files on disk fail to load (the previous pair keeps serving)."))
        // Exported at 0 from the start, so `increase()` in alerts and panels sees the first event of
        // each: both reload results, the usual answer of /validate, and every decision a request
        // that is not a dry run can get. Other codes and dry-run decisions appear when they happen.
        for result in ["success", "failure"] { _ = certificateReloads(result) }
        _ = requests(route: "/validate", status: 200)
        for (result, reason) in [("allowed", "none"), ("warned", "none")] + AdmissionDenialReason.allCases.map({ ("denied", $0.rawValue) }) {
            _ = decisions(result: result, reason: reason, dryRun: false)
        }
    }

    // MARK: Requests and decisions

    /// Counts one answered request and its latency.
    func requestCompleted(route: String, status: Int, duration: Duration) {
        requests(route: route, status: status).increment()
        requestDuration.record(duration)
    }

    func requestStarted() { inFlight.increment() }
    func requestFinished() { inFlight.decrement() }

    /// Counts one admission decision: `allowed`, `warned` (allowed with warnings) or `denied`, with its reason.
    func decisionMade(_ decision: AdmissionDecision, dryRun: Bool) {
        let result = decision.denial != nil ? "denied" : (decision.warnings.isEmpty ? "allowed" : "warned")
        let reason = decision.denial?.reason.rawValue ?? "none"
        decisions(result: result, reason: reason, dryRun: dryRun).increment()
    }

    // MARK: Certificates

    /// Records a certificate (re)load outcome.
    public func certificateLoaded(_ outcome: CertificateStore.ReloadOutcome) {
        switch outcome {
        case .unchanged: break
        case .reloaded(let expiresAt):
            certificateReloads("success").increment()
            certificateReloadFailing.set(0.0)
            certificateExpiry.set(Double(expiresAt))
        case .failed:
            certificateReloads("failure").increment()
            certificateReloadFailing.set(1.0)
        }
    }

    /// Records the expiry of the certificate loaded at startup.
    public func certificateExpires(at expiresAt: Int64) { certificateExpiry.set(Double(expiresAt)) }

    // MARK: HTTPServerObserver

    public func connectionOpened(listener: String) { openConnections(listener).increment() }
    public func connectionClosed(listener: String) { openConnections(listener).decrement() }

    public func connectionRefused(listener: String) {
        registry.makeCounter(descriptor: Self.name("connections_refused", unit: "total", help: "Connections closed at once because --max-connections were open."),
                             labels: [("listener", listener)]).increment()
    }

    public func handshakeFailed(listener: String, reason: HandshakeFailure) {
        registry.makeCounter(descriptor: Self.name("tls_handshake_failures", unit: "total", help: "TLS handshakes that failed or stalled, by reason."),
                             labels: [("listener", listener), ("reason", reason.rawValue)]).increment()
    }

    public func malformedRequest(listener: String, status: Int) {
        registry.makeCounter(descriptor: Self.name("malformed_requests", unit: "total", help: "Requests refused before routing (bad syntax, too large, too slow), by status."),
                             labels: [("listener", listener), ("code", String(status))]).increment()
    }

    public func acceptPaused(listener: String) {
        registry.makeCounter(descriptor: Self.name("accept_backoffs", unit: "total", help: "Times a listener paused accepting for a backoff because accept failed (out of descriptors or memory)."),
                             labels: [("listener", listener)]).increment()
    }

    private func requests(route: String, status: Int) -> Counter {
        counter("requests|\(route)|\(status)") {
            registry.makeCounter(descriptor: Self.name("requests", unit: "total", help: "Requests answered, by route and status code."),
                                 labels: [("route", route), ("code", String(status))])
        }
    }

    private func decisions(result: String, reason: String, dryRun: Bool) -> Counter {
        counter("decisions|\(result)|\(reason)|\(dryRun)") {
            registry.makeCounter(descriptor: Self.name("admission_decisions", unit: "total", help: "Admission decisions by result and reason."),
                                 labels: [("result", result), ("reason", reason), ("dry_run", dryRun ? "true" : "false")])
        }
    }

    private func certificateReloads(_ result: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("certificate_reloads", unit: "total", help: "Certificate reload attempts after a file change, by result."),
                             labels: [("result", result)])
    }

    private func openConnections(_ listener: String) -> Gauge {
        registry.makeGauge(descriptor: Self.name("open_connections", unit: "", help: "Open client connections."),
                           labels: [("listener", listener)])
    }

    /// The counter cached under `key`, made (and registered) by `make` the first time.
    func counter(_ key: String, make: () -> Counter) -> Counter {
        if let counter = countersByLabels.withLock({ $0[key] }) { return counter }
        let counter = make()
        countersByLabels.withLock { $0[key] = counter }
        return counter
    }

    /// `troxileia_webhook_<metric>_<unit>` with its help text.
    static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "troxileia", subsystem: "webhook", metricName: metric, unitName: unit, helpText: help)
    }
}
