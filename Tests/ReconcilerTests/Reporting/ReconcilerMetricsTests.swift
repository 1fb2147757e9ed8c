import Prometheus
import Testing
@testable import Reconciler

/// The counters the alerts take `increase()` of exist at 0 before their first event
/// (webhook/prometheus-rules.yaml: a series that appears at 1 shows no increase).
@Suite struct ReconcilerMetricsTests {
    private static func scrape(_ registry: PrometheusCollectorRegistry) -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func exportsPushFailuresAtZeroBeforeTheFirstFailure() {
        let registry = PrometheusCollectorRegistry()
        let metrics = ReconcilerMetrics(registry: registry)
        #expect(Self.scrape(registry).contains("\ntroxileia_reconciler_push_failures_total 0\n"))
        metrics.pushFinished(reason: "resync", result: "failed", duration: .seconds(1), verifiedAt: nil)
        #expect(Self.scrape(registry).contains("\ntroxileia_reconciler_push_failures_total 1\n"))
    }

    @Test func exportsTheUsualPushResultsForEveryReasonAtZero() {
        let registry = PrometheusCollectorRegistry()
        let metrics = ReconcilerMetrics(registry: registry)
        let text = Self.scrape(registry)
        for reason in ["initial", "change", "retry", "resync"] {
            for result in ["pushed", "unchanged", "failed"] {
                #expect(text.contains(#"troxileia_reconciler_pushes_total{reason="\#(reason)",result="\#(result)"} 0"#))
            }
        }
        metrics.pushFinished(reason: "change", result: "pushed", duration: .seconds(1), verifiedAt: 1)
        #expect(Self.scrape(registry).contains(#"troxileia_reconciler_pushes_total{reason="change",result="pushed"} 1"#))
    }

    @Test func exportsAWatchedResourcesRelistsAndRestartsAtZero() {
        let registry = PrometheusCollectorRegistry()
        let metrics = ReconcilerMetrics(registry: registry)
        metrics.watching(resource: "nodes")
        let text = Self.scrape(registry)
        #expect(text.contains(#"troxileia_reconciler_relists_total{resource="nodes"} 0"#))
        #expect(text.contains(#"troxileia_reconciler_watch_restarts_total{resource="nodes"} 0"#))
        metrics.reflectorEvent(resource: "nodes", kind: "relist")
        #expect(Self.scrape(registry).contains(#"troxileia_reconciler_relists_total{resource="nodes"} 1"#))
    }
}
