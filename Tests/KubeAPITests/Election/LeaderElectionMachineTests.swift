import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

/// client-go's leader election on a test clock.
@Suite struct LeaderElectionMachineTests {
    private let start = ContinuousClock.now
    private let wall = KubeTime(secondsSinceEpoch: 1_795_431_506)

    private func machine(_ identity: String) -> LeaderElectionMachine {
        LeaderElectionMachine(configuration: .init(identity: identity))
    }

    private func held(by holder: String, rv: String = "1", transitions: Int = 0) -> LeaseRecord {
        LeaseRecord(holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: wall, renewTime: wall,
                    leaseTransitions: transitions, resourceVersion: rv)
    }

    @Test func createsTheLeaseWhenThereIsNone() {
        var a = machine("a")
        guard case .create(let record) = a.attempt(current: nil, now: start, wall: wall) else {
            Issue.record("expected create")
            return
        }
        #expect(record.holderIdentity == "a" && record.leaseDurationSeconds == 15 && record.leaseTransitions == 0)
        #expect(!a.isLeader(now: start))
        a.wrote(held(by: "a"), now: start)
        #expect(a.isLeader(now: start))
    }

    @Test func respectsAnotherHoldersLiveLeaseThenTakesOverWhenItStopsRenewing() {
        var b = machine("b")
        let lease = held(by: "a", rv: "5", transitions: 2)
        #expect(b.attempt(current: lease, now: start, wall: wall) == .holdOff(holder: "a"))
        #expect(b.attempt(current: lease, now: start.advanced(by: .seconds(14)), wall: wall) == .holdOff(holder: "a"))
        guard case .update(let takeover) = b.attempt(current: lease, now: start.advanced(by: .seconds(15)), wall: wall) else {
            Issue.record("expected takeover after the lease duration")
            return
        }
        #expect(takeover.holderIdentity == "b" && takeover.leaseTransitions == 3 && takeover.resourceVersion == "5")
    }

    @Test func aRenewedLeaseRestartsTheExpiryClock() {
        var b = machine("b")
        _ = b.attempt(current: held(by: "a", rv: "5"), now: start, wall: wall)
        let renewed = held(by: "a", rv: "6")
        #expect(b.attempt(current: renewed, now: start.advanced(by: .seconds(10)), wall: wall) == .holdOff(holder: "a"))
        #expect(b.attempt(current: renewed, now: start.advanced(by: .seconds(24)), wall: wall) == .holdOff(holder: "a"))
    }

    @Test func takesAReleasedLeaseAtOnce() {
        var b = machine("b")
        guard case .update(let record) = b.attempt(current: held(by: "", rv: "9"), now: start, wall: wall) else {
            Issue.record("a released lease is free")
            return
        }
        #expect(record.holderIdentity == "b")
    }

    @Test func renewingKeepsTheAcquireTimeAndTransitions() {
        var a = machine("a")
        let mine = held(by: "a", rv: "3", transitions: 4)
        a.wrote(mine, now: start)
        guard case .update(let renewal) = a.attempt(current: mine, now: start.advanced(by: .seconds(2)), wall: wall.adding(seconds: 2)) else {
            Issue.record("expected a renewal")
            return
        }
        #expect(renewal.acquireTime == wall && renewal.renewTime == wall.adding(seconds: 2) && renewal.leaseTransitions == 4)
    }

    @Test func leadershipEndsAtTheRenewDeadlineWithoutARenewal() {
        var a = machine("a")
        a.wrote(held(by: "a"), now: start)
        #expect(a.isLeader(now: start.advanced(by: .seconds(9))))
        #expect(!a.isLeader(now: start.advanced(by: .seconds(10))), "before another replica may take over at 15 s")
    }

    @Test func releaseHandsTheLeaseBack() {
        var a = machine("a")
        #expect(a.release(wall: wall) == nil)
        a.wrote(held(by: "a", rv: "7", transitions: 1), now: start)
        let release = a.release(wall: wall)
        #expect(release?.holderIdentity == "" && release?.leaseDurationSeconds == 1 && release?.resourceVersion == "7")
    }

    @Test(arguments: [(15, 10, 2, true), (10, 10, 2, false), (15, 2, 2, false), (3, 2, 0.5, true), (15, 10, 9, false)])
    func checksTheTimingRule(lease: Int, renew: Int, retry: Double, valid: Bool) {
        var configuration = LeaderElectionMachine.Configuration(identity: "a")
        configuration.leaseDuration = .seconds(lease)
        configuration.renewDeadline = .seconds(renew)
        configuration.retryPeriod = .seconds(retry)
        #expect(((try? configuration.validate()) != nil) == valid)
    }

    @Test func readsAndWritesTheRealLeaseShape() throws {
        let lease = try LeaseRecord.decode(try KubeFixtures.bytes("lease/03-get.json"))
        #expect(lease.holderIdentity == "troxileia-6f8b9c7d5-x2kqp" && lease.resourceVersion == "428")
        #expect(lease.renewTime?.microTime == "2026-11-23T10:58:26.181020Z")
        let body = String(decoding: lease.encoded(name: "troxileia-leader", namespace: "troxileia"), as: UTF8.self)
        let expected = String(decoding: try KubeFixtures.bytes("lease/02-create.request-body.json"), as: UTF8.self)
            .replacingOccurrences(of: #""namespace":"troxileia"}"#, with: #""namespace":"troxileia","resourceVersion":"428"}"#)
        #expect(body == expected.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
