import Prometheus
import Testing
@testable import Webhook

/// Certificate reload counters exist at 0 for both results before the first reload, so an
/// `increase()` over them sees the first one.
@Suite struct WebhookMetricsTests {
    private static func scrape(_ metrics: WebhookMetrics) -> String {
        var buffer: [UInt8] = []
        metrics.registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func exportsBothCertificateReloadResultsAtZero() {
        let metrics = WebhookMetrics()
        let text = Self.scrape(metrics)
        #expect(text.contains(#"troxileia_webhook_certificate_reloads_total{result="success"} 0"#))
        #expect(text.contains(#"troxileia_webhook_certificate_reloads_total{result="failure"} 0"#))
    }

    @Test func countsAFailedReloadAndRaisesTheFailingGauge() {
        let metrics = WebhookMetrics()
        metrics.certificateLoaded(.failed(TLSError(operation: "load certificate", reason: "unreadable")))
        let text = Self.scrape(metrics)
        #expect(text.contains(#"troxileia_webhook_certificate_reloads_total{result="failure"} 1"#))
        #expect(text.contains("\ntroxileia_webhook_certificate_reload_failing 1"))
    }
}
