import Reconciler
import Testing
import TroxileiaCore

/// The desired set from nodes and pods: annotation ∪ pod-health exclusions, then `SensorSet`.
@Suite struct DesiredStateTests {
    static let t0 = KubeTime(secondsSinceEpoch: 1_795_431_506)

    static func node(_ name: String, port: String? = "1_1_x1", sensor: String = "true",
                     annotations: [String: String] = [:], terminating: Bool = false) -> NodeRecord {
        var labels = ["sensor": sensor]
        labels["port"] = port
        return NodeRecord(name: name, uid: "uid-\(name)", labels: labels, annotations: annotations, isTerminating: terminating)
    }

    /// A sensor pod on `node`, not Ready since `t0` unless `ready`.
    static func pod(on node: String, ready: Bool = false) -> PodRecord {
        PodRecord(namespace: "sensors", name: "sensor-\(node)", uid: "uid-p-\(node)", nodeName: node, phase: "Running",
                  createdAt: t0, ready: ready ? .ready : .notReady, readySince: t0)
    }

    static func state(_ nodes: [NodeRecord], pods: [PodRecord] = [], after seconds: Double = 1000) -> DesiredState {
        DesiredState(snapshot: NodeSnapshot(nodes: nodes, keys: .default), pods: pods,
                     defaultPodTimeout: .seconds(300), now: t0.adding(seconds: seconds))
    }

    static let exclude = [NodeOverrides.Key.exclude: "true"]

    @Test func pushesHealthySensors() {
        let nodes = [Self.node("a", port: "1_1_x1"), Self.node("b", port: "1_1_x2"), Self.node("c", port: "1_1_x3", sensor: "false")]
        let state = Self.state(nodes, pods: [Self.pod(on: "a", ready: true)])
        #expect(state.ports.map(\.cliName) == ["1/1/x1", "1/1/x2"])
        #expect(state.nodes["a"]?.isPushed == true && state.nodes["c"]?.isPushed == false)
        #expect(state.excludedNodes.isEmpty && state.nextCheck == nil)
    }

    @Test func theExcludeAnnotationLeavesANodeOut() {
        let state = Self.state([Self.node("a", annotations: Self.exclude)])
        #expect(state.ports.isEmpty)
        #expect(state.nodes["a"]?.exclusions == [.annotation] && state.nodes["a"]?.omission == .excluded)
        #expect(state.excludedNodes == ["a"])
    }

    @Test func anUnhealthyPodLeavesItsNodeOutWithTheDetail() {
        let state = Self.state([Self.node("a", port: "1_1_x1"), Self.node("b", port: "1_1_x2")], pods: [Self.pod(on: "a")])
        #expect(state.ports.map(\.cliName) == ["1/1/x2"])
        guard case .podHealth(let pods)? = state.nodes["a"]?.exclusions.first else {
            Issue.record("expected a pod-health exclusion")
            return
        }
        #expect(pods.map(\.name) == ["sensor-a"] && pods[0].notReadyFor == .seconds(1000))
    }

    @Test func bothCausesAreKept() {
        let state = Self.state([Self.node("a", annotations: Self.exclude)], pods: [Self.pod(on: "a")])
        #expect(state.nodes["a"]?.exclusions.count == 2)
        #expect(state.nodes["a"]?.exclusions.first == .annotation)
    }

    @Test(arguments: [
        (NodeOverrides.Key.podNotReadyTimeout, "20m", 1000.0, true),
        (NodeOverrides.Key.podNotReadyTimeout, "1m", 100.0, false),
        (NodeOverrides.Key.podNotReadyTimeout, "soon", 100.0, true),
        (NodeOverrides.Key.podNotReadyTimeout, "soon", 300.0, false),
    ])
    func theTimeoutAnnotationReplacesTheDefault(key: String, value: String, after: Double, pushed: Bool) {
        let state = Self.state([Self.node("a", annotations: [key: value])], pods: [Self.pod(on: "a")], after: after)
        #expect(state.nodes["a"]?.isPushed == pushed)
    }

    @Test func aMalformedAnnotationIsAProblemAndIgnored() {
        let state = Self.state([Self.node("a", annotations: [NodeOverrides.Key.exclude: "yes"])])
        #expect(state.nodes["a"]?.isPushed == true)
        #expect(state.nodes["a"]?.annotationProblems.count == 1)
    }

    @Test func nextCheckIsThePendingPodExpiry() {
        let state = Self.state([Self.node("a")], pods: [Self.pod(on: "a")], after: 100)
        #expect(state.nextCheck == Self.t0.adding(seconds: 300))
    }

    @Test func duplicatesNameTheOtherClaimantsWhateverTheirSensorFlag() {
        let state = Self.state([Self.node("a"), Self.node("b"), Self.node("c", sensor: "false"), Self.node("d", port: "1_1_x2")])
        #expect(state.ports.map(\.cliName) == ["1/1/x2"])
        #expect(state.nodes["a"]?.otherClaimants == ["b", "c"] && state.nodes["a"]?.isContested == true)
        #expect(state.nodes["c"]?.otherClaimants == ["a", "b"] && state.nodes["c"]?.isContested == false)
        #expect(state.nodes["d"]?.conflict == nil && state.nodes["d"]?.otherClaimants == [])
    }

    @Test(arguments: [
        ("not a sensor", DesiredStateTests.node("a", sensor: "false", annotations: DesiredStateTests.exclude)),
        ("terminating", DesiredStateTests.node("a", annotations: DesiredStateTests.exclude, terminating: true)),
        ("no port", DesiredStateTests.node("a", port: nil, annotations: DesiredStateTests.exclude)),
    ])
    func exclusionIsReportedOnlyForWouldBeSensors(_ label: String, _ node: NodeRecord) {
        let state = Self.state([node], pods: [Self.pod(on: "a")])
        #expect(state.nodes["a"]?.exclusions == [], "\(label)")
        #expect(state.excludedNodes.isEmpty)
    }

    @Test func podsOnUnknownNodesChangeNothing() {
        let state = Self.state([Self.node("a")], pods: [Self.pod(on: "elsewhere")])
        #expect(state.ports.count == 1 && state.nodes.count == 1)
    }
}
