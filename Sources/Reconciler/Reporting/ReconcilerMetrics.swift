import Prometheus
import Synchronization

/// The reconciler's Prometheus metrics, in the registry the probe listener serves (issue 6 "Metrics").
/// Labels take values from closed sets only (push reasons and results, resource names).
public final class ReconcilerMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let desiredPorts: Gauge
    private let appliedPorts: Gauge
    private let excludedNodes: Gauge
    private let leader: Gauge
    private let lastSuccess: Gauge
    private let removalHeld: Gauge
    private let rejected: Gauge
    private let pushDuration: DurationHistogram
    private let darkTime: DurationHistogram
    /// `left_out_nodes` by reason, made once: `desired` runs on every node event (issue 18), and a
    /// registry lookup per reason per event cost more than the event's own state update.
    private let leftOutNodes: [String: Gauge]

    /// Metrics registered in `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        desiredPorts = registry.makeGauge(descriptor: Self.name("desired_ports", "", "Tap ports that should receive traffic."))
        leftOutNodes = Dictionary(uniqueKeysWithValues: DesiredState.leftOutReasons.map { reason in
            (reason, registry.makeGauge(descriptor: Self.leftOutName, labels: [("reason", reason)]))
        })
        appliedPorts = registry.makeGauge(descriptor: Self.name("applied_ports", "", "Tap ports the tap was last read or pushed with."))
        excludedNodes = registry.makeGauge(descriptor: Self.name(
            "excluded_nodes", "", "Sensor nodes left out by pod health or the exclude annotation."))
        leader = registry.makeGauge(descriptor: Self.name("leader", "", "1 while this replica holds the Lease and may push."))
        lastSuccess = registry.makeGauge(descriptor: Self.name(
            "last_successful_push", "timestamp_seconds",
            "When the tap was last verified equal to the desired set (seconds since the epoch; time() minus this is the age)."))
        removalHeld = registry.makeGauge(descriptor: Self.name(
            "removal_held", "", "1 while a large first removal waits for --allow-large-removal."))
        // A push is one SSH session: seconds on a healthy device, up to --tap-push-timeout (2 min).
        pushDuration = registry.makeDurationHistogram(
            descriptor: Self.name("push_duration", "seconds", "Time of one push attempt, connection to read-back."),
            buckets: [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                      .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120)])
        // troxileia_tap_dark_seconds (the name): zero for in-place pushes, session-long for rebuilds.
        darkTime = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "troxileia", subsystem: "tap", metricName: "dark", unitName: "seconds",
                                             helpText: "Per push that changed the tap: the longest estimated time a port that "
                                                 + "stayed in the set received no traffic."),
            buckets: [.zero, .milliseconds(1), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30)])
        rejected = registry.makeGauge(descriptor: Self.name(
            "rejected_ports", "", "Desired tap ports the last push left out because the tap cannot take them."))
        // Exported at 0 from the start: `increase()` in an alert or a dashboard panel sees the first
        // event only when its series existed before it (a series that appears at 1 counts as no increase).
        _ = pushFailures()
        for reason in PushScheduler.Reason.allCases {
            for result in Self.usualResults { _ = pushes(reason: reason.rawValue, result: result) }
        }
    }

    /// Push results exported at 0 for every reason; `held`, `planned` and `abandoned` appear when they happen.
    static let usualResults = ["pushed", "unchanged", "failed"]

    /// One push that changed the tap: the driver's estimate of the longest time a port that stayed in the
    /// set went without traffic (issue 15; zero for an in-place update that kept every retained port lit).
    func darkTime(_ duration: Duration) { darkTime.record(duration) }

    /// The device refused an in-place edit; `auto` rebuilds from now on (issue 15).
    func inPlaceRefused() {
        registry.makeCounter(descriptor: Self.name(
            "in_place_refusals", "total", "Pushes whose in-place plan the tap refused, finished by the rebuild plan.")).increment()
    }

    /// Desired ports left out of a push because the tap cannot take them.
    func rejectedPorts(_ count: Int) { rejected.set(Double(count)) }

    func desired(ports: Int, excluded: Int, leftOut: [String: Int]) {
        desiredPorts.set(Double(ports))
        excludedNodes.set(Double(excluded))
        for (reason, count) in leftOut {
            let gauge = leftOutNodes[reason] ?? registry.makeGauge(descriptor: Self.leftOutName, labels: [("reason", reason)])
            gauge.set(Double(count))
        }
    }

    func applied(ports: Int) { appliedPorts.set(Double(ports)) }

    func leadership(_ isLeader: Bool) { leader.set(isLeader ? 1.0 : 0.0) }

    func holdingRemoval(_ held: Bool) { removalHeld.set(held ? 1.0 : 0.0) }

    /// One push attempt: `result` is `pushed`, `unchanged`, `held` or `failed`; `reason` the scheduler's.
    func pushFinished(reason: String, result: String, duration: Duration, verifiedAt: Double?) {
        pushes(reason: reason, result: result).increment()
        if result == "failed" { pushFailures().increment() }
        pushDuration.record(duration)
        if let verifiedAt { lastSuccess.set(verifiedAt) }
    }

    /// Exports `resource`'s relist and watch-restart counters at 0, before its reflector starts, so
    /// alerts on their increase see the first relist (`reflectorEvent` makes them otherwise).
    public func watching(resource: String) {
        for kind in ["relist", "watch_restart"] { _ = reflectorCounter(resource: resource, kind: kind) }
    }

    /// A reflector restarted its watch or relisted (`kind`: `watch_restart` or `relist`).
    public func reflectorEvent(resource: String, kind: String) {
        reflectorCounter(resource: resource, kind: kind).increment()
    }

    private func reflectorCounter(resource: String, kind: String) -> Counter {
        let name = kind == "relist" ? "relists" : "watch_restarts"
        return registry.makeCounter(descriptor: Self.name(name, "total", "Watch restarts and relists by resource."),
                                    labels: [("resource", resource)])
    }

    private func pushes(reason: String, result: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("pushes", "total", "Push attempts by reason and result."),
                             labels: [("reason", reason), ("result", result)])
    }

    private func pushFailures() -> Counter {
        registry.makeCounter(descriptor: Self.name("push_failures", "total", "Failed push attempts."))
    }

    private static var leftOutName: MetricNameDescriptor {
        name("left_out_nodes", "", "Would-be sensor nodes whose port is not pushed, by reason.")
    }

    private static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "troxileia", subsystem: "reconciler", metricName: name, unitName: unit,
                             helpText: help)
    }
}
