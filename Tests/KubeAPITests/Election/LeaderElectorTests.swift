import KubeStandIn
import Logging
import Synchronization
import TestSupport
import Testing
import TroxileiaCore
@testable import KubeAPI

/// Two contenders on one Lease in the API stand-in, with test timings (3 s / 2 s / 0.5 s).
@Suite(.serialized, .timeLimit(.minutes(1))) struct LeaderElectorTests {
    private final class Contender: Sendable {
        let elector: LeaderElector
        let transport: CurlTransport
        let task: Mutex<Task<Void, Never>?> = Mutex(nil)
        init(_ elector: LeaderElector, transport: CurlTransport) {
            self.elector = elector
            self.transport = transport
        }
        func start() { task.withLock { $0 = Task { await self.elector.run() } } }
        func stop() async {
            let running = task.withLock { $0 }
            running?.cancel()
            await running?.value
        }
    }

    private func contender(_ identity: String, port: UInt16, logger: Logger) throws -> Contender {
        var transport = CurlTransport.Configuration(server: "http://127.0.0.1:\(port)")
        transport.allowPlainHTTP = true
        var configuration = LeaderElectionMachine.Configuration(identity: identity)
        // Short enough for a test, long enough that one slow renewal on a loaded machine is no loss.
        configuration.leaseDuration = .seconds(6)
        configuration.renewDeadline = .seconds(4)
        configuration.retryPeriod = .milliseconds(500)
        let curl = try CurlTransport(configuration: transport)
        let client = KubeClient(transport: curl, logger: logger)
        return Contender(try LeaderElector(client: client, namespace: "troxileia", name: "troxileia",
                                           configuration: configuration, logger: logger), transport: curl)
    }

    private func waitUntil(_ limit: Duration, _ condition: () -> Bool) async throws -> Duration {
        let started = ContinuousClock.now
        while !condition() {
            guard ContinuousClock.now - started < limit else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return ContinuousClock.now - started
    }

    /// A stand-in, replica-a leading, replica-b started as the second candidate.
    private func twoContendersWithALeader() async throws -> (KubeStandIn, Contender, Contender) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let standIn = try KubeStandIn(logger: logger)
        let port = try standIn.start()
        let a = try contender("replica-a", port: port, logger: logger)
        let b = try contender("replica-b", port: port, logger: logger)
        a.start()
        _ = try await waitUntil(.seconds(5)) { a.elector.isLeader }
        b.start()
        return (standIn, a, b)
    }

    @Test func oneWinsAndTheOtherTakesOverAfterARelease() async throws {
        let (standIn, a, b) = try await twoContendersWithALeader()
        // b has read the Lease at least once (its first try can be late on a loaded machine).
        _ = try await waitUntil(.seconds(10)) { b.elector.holder != nil }
        #expect(a.elector.isLeader && !b.elector.isLeader, "exactly one leader")
        #expect(b.elector.holder == "replica-a")

        await a.stop()  // releases the lease
        #expect(!a.elector.isLeader)
        let takeover = try await waitUntil(.seconds(5)) { b.elector.isLeader }
        #expect(b.elector.isLeader)
        // Released, the Lease is free at once: the other replica takes it at one of its next retries
        // (500 ms apart), before the 6 s lease duration that an unreleased Lease would need (at least
        // 5.5 s after the stop: the last renewal was at most one retry period before it).
        #expect(takeover < .seconds(5), "at a retry, not after the lease duration")
        await b.stop()
        await standIn.shutdown()
    }

    /// `helm uninstall` deletes the RBAC and the ServiceAccount in the same pass as the Deployment:
    /// the release then meets 403 (binding gone) or 401 (token of a deleted ServiceAccount), which is
    /// said once at info ("expires by itself"), not as a failure to release.
    @Test(arguments: [(403, "Forbidden"), (401, "Unauthorized")])
    func aReleaseRefusedBecauseThePermissionIsGoneIsNotAFailure(code: Int, reason: String) async throws {
        let lines = RecordingLogHandler.Lines()
        let standIn = try KubeStandIn(logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let port = try standIn.start()
        let a = try contender("replica-a", port: port, logger: RecordingLogHandler.logger(lines))
        a.start()
        _ = try await waitUntil(.seconds(5)) { a.elector.isLeader }
        #expect(a.elector.isLeader)
        standIn.scenario.failNext(1_000, code: code)
        await a.stop()
        #expect(!a.elector.isLeader)
        let said = lines.all.filter { $0.contains("lease") }
        #expect(said.contains { $0.hasPrefix("info lease not released") && $0.contains("status=\(code) \(reason)") }, "\(said)")
        #expect(!said.contains { $0.contains("failed to release") }, "\(said)")
        await standIn.shutdown()
    }

    @Test func takesOverWhenTheHolderStopsRenewing() async throws {
        let (standIn, a, b) = try await twoContendersWithALeader()
        try await Task.sleep(for: .seconds(1))
        // The holder loses the API (its connection is gone for good): it can neither renew nor
        // release, and must stop leading within the renew deadline.
        let cutOff = ContinuousClock.now
        await a.transport.shutdown()
        let lost = try await waitUntil(.seconds(6)) { !a.elector.isLeader }
        #expect(!a.elector.isLeader)
        // The Lease, last renewed at most one retry period (0.5 s) before the cut, expires 5.5 s or more
        // after it: leadership must end before then (at the 4 s renew deadline, plus a loaded machine).
        #expect(lost < .seconds(5.5), "leadership ends at the renew deadline (4 s), before anyone may take over")
        // The other replica, still observing, takes over once the lease went unrenewed for its
        // duration: within lease duration + 2 × retry period × 1.2 of the last renewal.
        _ = try await waitUntil(.seconds(12)) { b.elector.isLeader }
        #expect(b.elector.isLeader)
        let bound: Duration = .milliseconds(6_000 + 1_200 + 800)  // + slack for a loaded machine
        #expect(ContinuousClock.now - cutOff < bound)
        await a.stop()
        await b.stop()
        await standIn.shutdown()
    }
}
