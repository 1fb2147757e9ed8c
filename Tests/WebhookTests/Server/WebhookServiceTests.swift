import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TroxileiaCore
@testable import Webhook

/// Graceful shutdown as kube-apiserver needs it, driven through ServiceLifecycle.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WebhookServiceTests {
    @Test func servesDuringTheShutdownDelayThenDrainsAndStops() async throws {
        let fixture = try TestWebhookServer(certificates: TestCertificates.shared)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let ports = Mutex<[String: UInt16]>([:])
        let service = WebhookService(configuration: .init(shutdownDelay: .milliseconds(800), shutdownGrace: .seconds(2)),
                                     server: fixture.server, readiness: fixture.readiness, certificateWatchers: [],
                                     logger: logger) { bound in ports.withLock { $0 = bound } }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let running = Task { try await group.run() }
        while ports.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(20)) }
        let webhookPort = ports.withLock { $0["webhook"] ?? 0 }
        let probePort = ports.withLock { $0["probes"] ?? 0 }
        let kept = try TLSTestClient(port: webhookPort, caFile: fixture.certificates.caFile)
        #expect(try kept.exchange(body: ReviewBuilder.review(name: "a", new: [:])).status == 200)

        let shutdownStarted = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await Task.sleep(for: .milliseconds(200))
        // During the delay: not ready, but new connections and requests still succeed.
        #expect(try TLSTestClient(port: probePort, caFile: nil).exchange(method: "GET", path: "/readyz").status == 503)
        let fresh = try TLSTestClient(port: webhookPort, caFile: fixture.certificates.caFile)
        #expect(try fresh.exchange(body: ReviewBuilder.review(name: "b", new: [:])).status == 200)
        let during = try kept.exchange(body: ReviewBuilder.review(name: "c", new: [:]))
        #expect(during.status == 200 && during.header("Connection") == nil)

        // After the delay: responses close the connection, idle ones are closed, the service ends.
        try await Task.sleep(for: .milliseconds(800))
        #expect(try kept.readUntilClosed().isEmpty, "idle keep-alive connection closed by the drain")
        #expect((try? TLSTestClient(port: webhookPort, caFile: fixture.certificates.caFile)) == nil, "no longer accepting")
        try await running.value
        #expect(ContinuousClock.now - shutdownStarted < .seconds(4), "delay + grace bound the exit")
    }
}
