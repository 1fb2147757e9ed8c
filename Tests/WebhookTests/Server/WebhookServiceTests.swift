import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook
import TestSupport

/// Graceful shutdown as kube-apiserver needs it, driven through ServiceLifecycle.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WebhookServiceTests {
    @Test func servesDuringTheShutdownDelayThenDrainsAndStops() async throws {
        let fixture = try TestWebhookServer(certificates: TestCertificates.shared)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let ports = Mutex<[String: UInt16]>([:])
        let service = WebhookService(configuration: .init(shutdownDelay: .seconds(2), shutdownGrace: .seconds(2)),
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
        // Readiness turns false as soon as the service hears of the shutdown (polled: a loaded
        // machine may take a moment to deliver it).
        var readiness = 200
        for _ in 0..<50 where readiness != 503 {
            readiness = try TLSTestClient(port: probePort, caFile: nil).exchange(method: "GET", path: "/readyz").status
            if readiness != 503 { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(readiness == 503)
        // During the delay: not ready, but new connections and requests still succeed.
        let fresh = try TLSTestClient(port: webhookPort, caFile: fixture.certificates.caFile)
        #expect(try fresh.exchange(body: ReviewBuilder.review(name: "b", new: [:])).status == 200)
        let during = try kept.exchange(body: ReviewBuilder.review(name: "c", new: [:]))
        #expect(during.status == 200 && during.header("Connection") == nil)

        // After the delay: idle keep-alive connections are closed (this read waits for it), the
        // listener stops accepting, the service ends.
        #expect(try kept.readUntilClosed().isEmpty, "idle keep-alive connection closed by the drain")
        var accepting = true
        for _ in 0..<100 where accepting {
            accepting = (try? TLSTestClient(port: webhookPort, caFile: fixture.certificates.caFile)) != nil
            if accepting { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(!accepting, "no longer accepting")
        try await running.value
        #expect(ContinuousClock.now - shutdownStarted < .seconds(6), "delay + grace bound the exit")
    }
}
