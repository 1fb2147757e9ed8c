import Reconciler
import Testing
import TroxileiaCore

/// DESIGN.md "Pod health" on a test clock: instants are offsets in seconds from `t0`.
@Suite struct PodHealthRuleTests {
    static let t0 = KubeTime(secondsSinceEpoch: 1_795_431_506)
    static func at(_ seconds: Double) -> KubeTime { t0.adding(seconds: seconds) }

    static func pod(_ name: String = "sensor-0", uid: String? = nil, node: String? = "n1", phase: String? = "Running",
                    created: Double? = 0, ready: PodRecord.Readiness? = .notReady, since: Double? = 0,
                    terminating: Bool = false) -> PodRecord {
        PodRecord(namespace: "sensors", name: name, uid: uid ?? "uid-\(name)", nodeName: node, phase: phase,
                  createdAt: created.map(at), isTerminating: terminating, ready: ready, readySince: since.map(at))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let pods: [PodRecord]
        var timeouts: [String: Duration] = [:]
        let now: Double
        let unhealthy: Set<String>
        let nextChange: Double?
    }

    static let cases: [Case] = [
        Case(testDescription: "a Ready pod keeps its node", pods: [pod(ready: .ready)], now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "not Ready within the timeout", pods: [pod()], now: 299, unhealthy: [], nextChange: 300),
        Case(testDescription: "not Ready exactly the timeout", pods: [pod()], now: 300, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "not Ready beyond the timeout", pods: [pod()], now: 372, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "Ready=Unknown is not Ready", pods: [pod(ready: .unknown)], now: 301, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "no Ready condition counts from creation", pods: [pod(ready: nil, since: nil)],
             now: 300, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "no Ready condition within the timeout", pods: [pod(phase: "Pending", created: 100, ready: nil, since: nil)],
             now: 200, unhealthy: [], nextChange: 400),
        Case(testDescription: "a transition later than creation counts from the transition", pods: [pod(created: 0, since: 200)],
             now: 400, unhealthy: [], nextChange: 500),
        Case(testDescription: "a creation later than the transition counts from creation", pods: [pod(created: 200, since: 0)],
             now: 400, unhealthy: [], nextChange: 500),
        Case(testDescription: "a pod failing at startup counts from its transition", pods: [pod(created: -7200, since: -3600)],
             now: 0, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "a Succeeded pod does not count", pods: [pod(phase: "Succeeded")],
             now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "a Failed pod does not count", pods: [pod(phase: "Failed")],
             now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "a terminating pod does not count", pods: [pod(terminating: true)],
             now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "an unscheduled pod does not count", pods: [pod(node: nil), pod("b", node: "")],
             now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "a pod without a phase counts", pods: [pod(phase: nil)], now: 300, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "one bad pod of two is enough", pods: [pod("a", ready: .ready), pod("b")],
             now: 300, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "only the node of the bad pod", pods: [pod("a", node: "n1"), pod("b", node: "n2", ready: .ready)],
             now: 300, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "the earliest pending expiry is the next change",
             pods: [pod("a", since: 100), pod("b", node: "n2", since: 50), pod("c", node: "n3", since: 200)],
             now: 300, unhealthy: [], nextChange: 350),
        Case(testDescription: "a node's shorter timeout", pods: [pod("a", node: "n1"), pod("b", node: "n2")],
             timeouts: ["n1": .seconds(60)], now: 60, unhealthy: ["n1"], nextChange: 300),
        Case(testDescription: "a node's longer timeout", pods: [pod()], timeouts: ["n1": .seconds(600)],
             now: 400, unhealthy: [], nextChange: 600),
        Case(testDescription: "timeout 0 leaves the node out at once", pods: [pod(since: 50)], timeouts: ["n1": .zero],
             now: 50, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "a negative timeout counts as 0", pods: [pod(since: 50)], timeouts: ["n1": .seconds(-5)],
             now: 47, unhealthy: [], nextChange: 50),
        Case(testDescription: "no timestamps at all never leaves the node out", pods: [pod(created: nil, ready: nil, since: nil)],
             now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "no timestamps with timeout 0 never leaves the node out", pods: [pod(created: nil, since: nil)],
             timeouts: ["n1": .zero], now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "a Ready condition without its transition time is not dated from creation",
             pods: [pod(created: 0, since: nil)], now: 10_000, unhealthy: [], nextChange: nil),
        Case(testDescription: "no creation time counts from the transition", pods: [pod(created: nil, since: 100)],
             now: 400, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "a transition in the future (skew) waits for it", pods: [pod(since: 100)],
             now: 0, unhealthy: [], nextChange: 400),
        Case(testDescription: "a transition in the future (skew) expires after it", pods: [pod(since: 100)],
             now: 400, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "the later record of one UID wins (now Ready)", pods: [pod(uid: "u1"), pod(uid: "u1", ready: .ready)],
             now: 1000, unhealthy: [], nextChange: nil),
        Case(testDescription: "the later record of one UID wins (now not Ready)", pods: [pod(uid: "u1", ready: .ready), pod(uid: "u1")],
             now: 1000, unhealthy: ["n1"], nextChange: nil),
        Case(testDescription: "a pod recreated under its name is a new pod",
             pods: [pod(uid: "old", terminating: true), pod(uid: "new", created: 900, ready: nil, since: nil)],
             now: 1000, unhealthy: [], nextChange: 1200),
    ]

    @Test(arguments: cases)
    func judgesPods(_ row: Case) {
        let health = PodHealthRule().evaluate(pods: row.pods, timeouts: row.timeouts, now: Self.at(row.now))
        #expect(health.unhealthyNodes == row.unhealthy)
        #expect(health.nextChange == row.nextChange.map(Self.at))
    }

    @Test func theDefaultTimeoutIsFiveMinutes() {
        #expect(PodHealthRule().defaultTimeout == .seconds(300))
        let rule = PodHealthRule(defaultTimeout: .seconds(30))
        #expect(rule.evaluate(pods: [Self.pod()], now: Self.at(30)).unhealthyNodes == ["n1"])
    }

    @Test func reportsEachFailingPodWithItsStartAndTimeout() {
        let pods = [Self.pod("b", created: 0, since: 0), Self.pod("a", created: 0, since: 10)]
        let health = PodHealthRule().evaluate(pods: pods, timeouts: ["n1": .seconds(300)], now: Self.at(382))
        let failing = health.failingPods(on: "n1")
        #expect(failing.map(\.name) == ["a", "b"])
        #expect(failing[0].notReadySince == Self.at(10) && failing[0].notReadyFor == .seconds(372))
        #expect(failing[0].timeout == .seconds(300) && failing[0].uid == "uid-a" && failing[0].readiness == .notReady)
        #expect(failing[0].message == "pod sensors/a not Ready for 6m12s (timeout 5m)")
    }

    @Test func aPodReadyAgainBringsItsNodeBack() {
        let rule = PodHealthRule()
        #expect(rule.evaluate(pods: [Self.pod()], now: Self.at(400)).unhealthyNodes == ["n1"])
        #expect(rule.evaluate(pods: [Self.pod(ready: .ready, since: 401)], now: Self.at(402)).unhealthyNodes.isEmpty)
    }
}
