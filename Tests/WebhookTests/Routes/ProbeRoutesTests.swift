import Testing
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook
import TestSupport

@Suite(.serialized, .timeLimit(.minutes(1))) struct ProbeRoutesTests {
    @Test func healthReadinessAndMetrics() async throws {
        let server = try TestWebhookServer(certificates: TestCertificates.shared)
        try server.start()
        defer { Task { await server.stop() } }
        let client = try server.probeClient()
        #expect(try client.exchange(method: "GET", path: "/healthz").text == "ok\n")
        #expect(try client.exchange(method: "GET", path: "/readyz").status == 200)
        server.inventory.setSynced(false)
        let notSynced = try client.exchange(method: "GET", path: "/readyz")
        #expect(notSynced.status == 503)
        #expect(notSynced.text.contains("not synced"))
        server.inventory.setSynced(true)
        server.readiness.markShuttingDown()
        #expect(try client.exchange(method: "GET", path: "/readyz").text == "not ready: shutting down\n")
        #expect(try client.exchange(method: "GET", path: "/healthz").status == 200, "alive while shutting down")

        _ = try server.client().exchange(body: ReviewBuilder.review(name: "x", new: ["port": "1_1_x1"]))
        let metrics = try client.exchange(method: "GET", path: "/metrics")
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains(#"troxileia_webhook_requests_total{route="/validate",code="200"} 1"#))
        #expect(metrics.text.contains(#"troxileia_webhook_admission_decisions_total{result="denied",reason="DuplicateTapPort",dry_run="false"} 1"#))
        #expect(metrics.text.contains("troxileia_webhook_request_duration_seconds_bucket"))
        #expect(metrics.text.contains(#"troxileia_webhook_open_connections{listener="probes"}"#))
    }

    @Test(arguments: [("POST", "/healthz", 405), ("GET", "/nope", 404), ("HEAD", "/healthz", 200)])
    func refusesWhatItDoesNotServe(method: String, path: String, status: Int) async throws {
        let server = try TestWebhookServer(certificates: TestCertificates.shared)
        try server.start()
        defer { Task { await server.stop() } }
        #expect(try server.probeClient().exchange(method: method, path: path, contentType: nil).status == status)
    }
}
