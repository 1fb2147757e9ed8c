import Testing
import TroxileiaCore

@Suite struct PortClaimTests {
    private let port = TapPort(box: 1, slot: 1, speed: .tenGigabit, number: 9)!
    private let now = KubeTime(secondsSinceEpoch: 1_000_000)

    private func claim(_ holder: String, age seconds: Double?) -> PortClaim {
        PortClaim(port: port, holder: holder, takenAt: seconds.map { now.adding(seconds: -$0) }, version: "7")
    }

    private func index(_ holders: [String: String]) -> PortIndex {
        PortIndex(nodes: holders.map { NodeRecord(name: $0.key, labels: ["port": $0.value]) }, keys: .default)
    }

    @Test(arguments: [
        // holder, age, node list (node: port), verdict
        ("a", 1.0 as Double?, [:] as [String: String], PortClaim.Verdict.refresh),
        ("a", 60.0, [:], .refresh),
        ("b", 1.0, [:], .held(by: "b", carried: false)),
        ("b", 60.0, ["b": "1_1_x9"], .held(by: "b", carried: true)),
        ("b", 1.0, ["b": "1_1_x9"], .held(by: "b", carried: true)),
        ("b", 9.999, ["b": "1_1_x8"], .held(by: "b", carried: false)),
        ("b", 10.0, ["b": "1_1_x8"], .takeOver),
        ("b", 60.0, [:], .takeOver),
        ("b", nil, [:], .takeOver),
    ])
    func judgesAnExistingClaim(holder: String, age: Double?, nodes: [String: String], verdict: PortClaim.Verdict) {
        #expect(PortClaim.judge(claim(holder, age: age), claimant: "a", index: index(nodes), now: now, ttl: .seconds(10)) == verdict)
    }

    @Test func aClaimIsOldFromItsTTLOn() {
        #expect(!claim("a", age: 9.5).isOlder(than: .milliseconds(10_000), at: now))
        #expect(claim("a", age: 10).isOlder(than: .seconds(10), at: now))
        #expect(claim("a", age: nil).isOlder(than: .seconds(3600), at: now), "a claim without a time counts as old")
    }
}
