import Reconciler
import Testing
import TroxileiaCore

@Suite struct PodHealthTests {
    static func failing(_ name: String, node: String = "n1", for elapsed: Duration = .seconds(400),
                        timeout: Duration = .seconds(300)) -> PodHealth.FailingPod {
        PodHealth.FailingPod(namespace: "sensors", name: name, uid: "uid-\(name)", node: node, readiness: .notReady,
                             notReadySince: KubeTime(secondsSinceEpoch: 0), notReadyFor: elapsed, timeout: timeout)
    }

    @Test(arguments: [
        (Duration.seconds(372), Duration.seconds(300), "pod sensors/p not Ready for 6m12s (timeout 5m)"),
        (.milliseconds(372_900), .seconds(300), "pod sensors/p not Ready for 6m12s (timeout 5m)"),
        (.zero, .zero, "pod sensors/p not Ready for 0s (timeout 0s)"),
        (.seconds(5400), .seconds(5400), "pod sensors/p not Ready for 1h30m (timeout 1h30m)"),
        (.milliseconds(1500), .milliseconds(1500), "pod sensors/p not Ready for 1s (timeout 1500ms)"),
    ])
    func messageNamesThePodItsTimeAndTimeout(elapsed: Duration, timeout: Duration, message: String) {
        #expect(Self.failing("p", for: elapsed, timeout: timeout).message == message)
    }

    @Test func unhealthyNodesAreTheNodesWithFailingPods() {
        let health = PodHealth(failingPods: ["n1": [Self.failing("a")], "n2": [Self.failing("b", node: "n2")]], nextChange: nil)
        #expect(health.unhealthyNodes == ["n1", "n2"])
        #expect(health.failingPods(on: "n2").map(\.name) == ["b"])
        #expect(health.failingPods(on: "n3").isEmpty)
    }

    @Test func allHealthyLeavesNothingOutAndWaitsForNothing() {
        #expect(PodHealth.allHealthy.unhealthyNodes.isEmpty && PodHealth.allHealthy.nextChange == nil)
    }
}
