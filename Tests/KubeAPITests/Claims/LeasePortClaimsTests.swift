import KubeStandIn
import Logging
import Synchronization
import Testing
import TroxileiaCore
@testable import KubeAPI

/// Port claims as Leases in the API stand-in, on a test clock.
@Suite(.serialized, .timeLimit(.minutes(1))) struct LeasePortClaimsTests {
    final class TestClock: Sendable {
        let now = Mutex(KubeTime(secondsSinceEpoch: 2_000_000_000))
        func advance(_ seconds: Double) { now.withLock { $0 = $0.adding(seconds: seconds) } }
        var read: @Sendable () -> KubeTime { { self.now.withLock { $0 } } }
    }

    private let port = TapPort(box: 1, slot: 2, speed: .fortyGigabit, number: 3, breakout: 1)!

    private func withClaims(_ body: (KubeStandIn, LeasePortClaims, TestClock) async throws -> Void) async throws {
        var logger = Logger(label: "claims-test")
        logger.logLevel = .critical
        let standIn = try KubeStandIn(logger: logger)
        let port = try standIn.start()
        let clock = TestClock()
        var configuration = LeasePortClaims.Configuration(namespace: "troxileia")
        configuration.ttl = .seconds(10)
        let claims = LeasePortClaims(client: try KubeStandIn.client(port: port, logger: logger), configuration: configuration,
                                     logger: logger, wallClock: clock.read)
        do { try await body(standIn, claims, clock) } catch {
            await standIn.shutdown()
            throw error
        }
        await standIn.shutdown()
    }

    /// The judge of a claimant that sees no node carrying the port.
    private func judge(_ claimant: String, clock: TestClock) -> @Sendable (PortClaim) -> PortClaim.Verdict {
        { PortClaim.judge($0, claimant: claimant, index: PortIndex(), now: clock.read(), ttl: .seconds(10)) }
    }

    @Test func namesTheLeaseAfterThePortAsADNSName() {
        #expect(LeasePortClaims.leaseName(for: port) == "troxileia-port-1-2-q3x1")
    }

    @Test func createsALabelledLeaseHeldByTheNode() async throws {
        try await withClaims { standIn, claims, clock in
            #expect(await claims.claim(port, for: "node-a", judge: judge("node-a", clock: clock)) == .taken)
            let lease = try #require(standIn.store.get(.leases, namespace: "troxileia", name: "troxileia-port-1-2-q3x1"))
            #expect(lease.value["spec"]?["holderIdentity"]?.stringValue == "node-a")
            #expect(lease.labels == ["app.kubernetes.io/managed-by": "troxileia", "troxileia.io/claim": "port",
                                     "troxileia.io/port": "1_2_q3x1"])
            #expect(lease.value["spec"]?["renewTime"]?.stringValue == clock.read().microTime)
        }
    }

    @Test func anotherNodesFreshClaimHoldsThePort() async throws {
        try await withClaims { standIn, claims, clock in
            #expect(await claims.claim(port, for: "node-a", judge: judge("node-a", clock: clock)) == .taken)
            clock.advance(9)
            #expect(await claims.claim(port, for: "node-b", judge: judge("node-b", clock: clock)) == .held(by: "node-a", carried: false))
            let lease = try #require(standIn.store.get(.leases, namespace: "troxileia", name: "troxileia-port-1-2-q3x1"))
            #expect(lease.value["spec"]?["holderIdentity"]?.stringValue == "node-a")
        }
    }

    @Test func theSameNodeRefreshesItsClaim() async throws {
        try await withClaims { standIn, claims, clock in
            _ = await claims.claim(port, for: "node-a", judge: judge("node-a", clock: clock))
            clock.advance(30)
            #expect(await claims.claim(port, for: "node-a", judge: judge("node-a", clock: clock)) == .refreshed)
            let lease = try #require(standIn.store.get(.leases, namespace: "troxileia", name: "troxileia-port-1-2-q3x1"))
            #expect(lease.value["spec"]?["renewTime"]?.stringValue == clock.read().microTime)
        }
    }

    @Test func aStaleClaimIsTakenOverAfterTheTTLAndNotBefore() async throws {
        try await withClaims { standIn, claims, clock in
            _ = await claims.claim(port, for: "node-a", judge: judge("node-a", clock: clock))
            clock.advance(9.9)
            #expect(await claims.claim(port, for: "node-b", judge: judge("node-b", clock: clock)) == .held(by: "node-a", carried: false))
            clock.advance(0.1)
            #expect(await claims.claim(port, for: "node-b", judge: judge("node-b", clock: clock)) == .takenOver(previous: "node-a"))
            let lease = try #require(standIn.store.get(.leases, namespace: "troxileia", name: "troxileia-port-1-2-q3x1"))
            #expect(lease.value["spec"]?["holderIdentity"]?.stringValue == "node-b")
            #expect(lease.value["spec"]?["leaseTransitions"] == .int(1))
        }
    }

    @Test func twoTakersOfOneStaleClaimCannotBothWin() async throws {
        try await withClaims { _, claims, clock in
            for round in 0..<20 {
                let rivals = ["node-b\(round)", "node-c\(round)"]
                clock.advance(60)
                let outcomes = await withTaskGroup(of: PortClaimOutcome.self) { group in
                    for rival in rivals { group.addTask { await claims.claim(port, for: rival, judge: judge(rival, clock: clock)) } }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let won = outcomes.filter { if case .takenOver = $0 { true } else if case .taken = $0 { true } else { false } }
                #expect(won.count == 1, "round \(round): \(outcomes)")
            }
        }
    }

    @Test func aRefusedWriteIsAFailureNamingTheCause() async throws {
        try await withClaims { standIn, claims, clock in
            standIn.scenario.failNext(1)
            let outcome = await claims.claim(port, for: "node-a", judge: judge("node-a", clock: clock))
            guard case .failed(let cause) = outcome else { Issue.record("\(outcome)"); return }
            #expect(cause.contains("500 InternalError"))
            #expect(standIn.store.all(.leases).isEmpty)
        }
    }

    @Test func theSweepRemovesOldClaimsOnlyAndIsBoundedPerPass() async throws {
        try await withClaims { standIn, claims, clock in
            for number in 1...5 {
                let other = try #require(TapPort(box: 2, slot: 1, speed: .tenGigabit, number: number))
                _ = await claims.claim(other, for: "gone-\(number)", judge: judge("gone-\(number)", clock: clock))
            }
            // Not a claim: the leader-election Lease is never swept.
            try standIn.add(.leases, Array(#"{"metadata":{"name":"troxileia","namespace":"troxileia"},"spec":{"holderIdentity":"x"}}"#.utf8))
            clock.advance(10)
            _ = await claims.claim(port, for: "fresh", judge: judge("fresh", clock: clock))
            let first = try await claims.sweep(olderThan: .seconds(10), pageSize: 2, maxRemovals: 3)
            #expect(first.removed == 3)
            let second = try await claims.sweep(olderThan: .seconds(10), pageSize: 2)
            #expect(second.removed == 2)
            #expect(standIn.store.all(.leases).map(\.name).sorted() == ["troxileia", "troxileia-port-1-2-q3x1"])
        }
    }

    @Test func thePeriodicSweepRunsOnlyWhileThisReplicaLeads() async throws {
        try await withClaims { standIn, claims, clock in
            _ = await claims.claim(port, for: "gone", judge: judge("gone", clock: clock))
            clock.advance(10)
            let leading = Mutex(false)
            let passes = Mutex(0)
            let task = Task {
                await claims.sweepPeriodically(every: .milliseconds(20), olderThan: .seconds(10), isLeader: { leading.withLock { $0 } }) { _ in
                    passes.withLock { $0 += 1 }
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(passes.withLock { $0 } == 0, "a follower does not sweep")
            #expect(standIn.store.all(.leases).count == 1)
            leading.withLock { $0 = true }
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while !standIn.store.all(.leases).isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(standIn.store.all(.leases).isEmpty, "the leader removed the old claim")
            #expect(passes.withLock { $0 } >= 1)
            task.cancel()
            await task.value
        }
    }
}
