@testable import HTTPServerCore
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

    @Test func exportsEveryDecisionAndTheUsualAnswerAtZero() {
        let text = Self.scrape(WebhookMetrics())
        #expect(text.contains(#"troxileia_webhook_requests_total{route="/validate",code="200"} 0"#))
        for (result, reason) in [("allowed", "none"), ("warned", "none"), ("denied", "InvalidTapPort"),
                                 ("denied", "InvalidSensorValue"), ("denied", "DuplicateTapPort")] {
            #expect(text.contains(#"troxileia_webhook_admission_decisions_total{result="\#(result)",reason="\#(reason)",dry_run="false"} 0"#))
        }
    }

    @Test func countsAFailedReloadAndRaisesTheFailingGauge() {
        let metrics = WebhookMetrics()
        metrics.certificateLoaded(.failed(TLSError(operation: "load certificate", reason: "unreadable")))
        let text = Self.scrape(metrics)
        #expect(text.contains(#"troxileia_webhook_certificate_reloads_total{result="failure"} 1"#))
        #expect(text.contains("\ntroxileia_webhook_certificate_reload_failing 1"))
    }
}
