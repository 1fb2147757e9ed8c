import Reconciler
import Testing
import TroxileiaCore

@Suite struct DesiredStateReasonsTests {
    typealias Fixture = DesiredStateTests

    @Test func eachLeftOutNodeSaysWhy() {
        let nodes = [Fixture.node("ok", port: "1_1_x9"), Fixture.node("annotated", port: "1_1_x2", annotations: Fixture.exclude),
                     Fixture.node("sick", port: "1_1_x3"), Fixture.node("dup1", port: "1_1_x4"), Fixture.node("dup2", port: "1_1_x4"),
                     Fixture.node("bad", port: "1/1/x5"), Fixture.node("portless", port: nil), Fixture.node("flag", sensor: "yes"),
                     Fixture.node("gone", port: "1_1_x6", terminating: true), Fixture.node("off", port: "1_1_x7", sensor: "false")]
        let state = Fixture.state(nodes, pods: nodes.map { Fixture.pod(on: $0.name, ready: $0.name != "sick") })
        let reasons = state.nodes.mapValues(\.leftOutReason)
        #expect(reasons["ok"] == .some(nil) && reasons["off"] == .some(nil))
        #expect(reasons["annotated"] == "annotation troxileia.io/exclude=\"true\"")
        #expect(reasons["sick"]??.contains("pod sensors/sensor-sick not Ready") == true)
        #expect(reasons["dup1"] == "tap port 1/1/x4 is also labelled on dup2")
        #expect(reasons["bad"] == "the port label is not a valid tap port")
        #expect(reasons["portless"] == "the node is labelled sensor=true but has no port label")
        #expect(reasons["flag"] == "the sensor label is neither \"true\" nor \"false\"")
        #expect(reasons["gone"] == "the node is being deleted")
    }

    /// The `reason` label of troxileia_reconciler_left_out_nodes: every reason present, each node once.
    @Test func countsLeftOutNodesByReason() {
        let nodes = [Fixture.node("ok", port: "1_1_x9"), Fixture.node("annotated", port: "1_1_x2", annotations: Fixture.exclude),
                     Fixture.node("both", port: "1_1_x8", annotations: Fixture.exclude),
                     Fixture.node("sick", port: "1_1_x3"), Fixture.node("dup1", port: "1_1_x4"), Fixture.node("dup2", port: "1_1_x4"),
                     Fixture.node("bad", port: "1/1/x5"), Fixture.node("portless", port: nil), Fixture.node("flag", sensor: "yes"),
                     Fixture.node("gone", port: "1_1_x6", terminating: true), Fixture.node("off", port: "1_1_x7", sensor: "false")]
        let sick: Set = ["sick", "both"]
        let state = Fixture.state(nodes, pods: nodes.map { Fixture.pod(on: $0.name, ready: !sick.contains($0.name)) })
        #expect(state.leftOutCounts == ["pod_not_ready": 1, "exclude_annotation": 2, "duplicate_port": 2, "invalid_labels": 3,
                                        "terminating": 1])
        #expect(Fixture.state([Fixture.node("ok")]).leftOutCounts == Dictionary(uniqueKeysWithValues: DesiredState.leftOutReasons.map { ($0, 0) }))
    }
}
