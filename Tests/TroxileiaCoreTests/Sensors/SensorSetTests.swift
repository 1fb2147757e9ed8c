import Testing
import TroxileiaCore

@Suite struct SensorSetTests {
    private func snapshot(_ nodes: [NodeRecord]) -> NodeSnapshot { NodeSnapshot(nodes: nodes, keys: .default) }
    private func port(_ label: String) -> TapPort { (try? TapPort(label: label))! }

    @Test func takesValidSensorsSortedAndUnique() {
        let set = SensorSet(snapshot: snapshot([
            NodeRecord(name: "c", labels: ["sensor": "true", "port": "1_1_x10"]),
            NodeRecord(name: "a", labels: ["sensor": "true", "port": "1_1_x2"]),
            NodeRecord(name: "b", labels: ["sensor": "false", "port": "1_1_x3"]),
            NodeRecord(name: "d", labels: ["port": "1_1_x4"]),
            NodeRecord(name: "e", labels: ["sensor": "true", "port": "1_2_g1"]),
        ]))
        #expect(set.ports == [port("1_1_x2"), port("1_1_x10"), port("1_2_g1")])
        #expect(set.owners[port("1_1_x10")] == "c")
        #expect(set.omitted.isEmpty)
    }

    @Test func leavesOutEveryClaimantOfAContestedPort() {
        let set = SensorSet(snapshot: snapshot([
            NodeRecord(name: "a", labels: ["sensor": "true", "port": "1_1_x1"]),
            NodeRecord(name: "b", labels: ["sensor": "true", "port": "1_1_x1"]),
            NodeRecord(name: "c", labels: ["sensor": "false", "port": "1_1_x2"]),
            NodeRecord(name: "d", labels: ["sensor": "true", "port": "1_1_x2"]),
            NodeRecord(name: "e", labels: ["sensor": "true", "port": "1_1_x3"]),
        ]))
        #expect(set.ports == [port("1_1_x3")])
        #expect(set.conflicts.map(\.port) == [port("1_1_x1"), port("1_1_x2")])
        #expect(set.omitted == [
            .init(node: "a", reason: .duplicatePort(port("1_1_x1"), others: ["b"])),
            .init(node: "b", reason: .duplicatePort(port("1_1_x1"), others: ["a"])),
            .init(node: "d", reason: .duplicatePort(port("1_1_x2"), others: ["c"])),
        ])
    }

    @Test func explainsEveryOmission() {
        let set = SensorSet(snapshot: snapshot([
            NodeRecord(name: "bad-sensor", labels: ["sensor": "yes", "port": "1_1_x1"]),
            NodeRecord(name: "no-port", labels: ["sensor": "true"]),
            NodeRecord(name: "bad-port", labels: ["sensor": "true", "port": "1/1/x2"]),
            NodeRecord(name: "leaving", labels: ["sensor": "true", "port": "1_1_x3"], isTerminating: true),
            NodeRecord(name: "unhealthy", labels: ["sensor": "true", "port": "1_1_x4"]),
            NodeRecord(name: "fine", labels: ["sensor": "true", "port": "1_1_x5"]),
        ]), excluding: ["unhealthy"])
        #expect(set.ports == [port("1_1_x5")])
        #expect(set.omitted == [
            .init(node: "bad-port", reason: .invalidPort),
            .init(node: "bad-sensor", reason: .invalidSensorValue),
            .init(node: "leaving", reason: .terminating),
            .init(node: "no-port", reason: .missingPort),
            .init(node: "unhealthy", reason: .excluded),
        ])
    }

    @Test func anExcludedNodeStillHoldsItsPortAgainstOthers() {
        let set = SensorSet(snapshot: snapshot([
            NodeRecord(name: "a", labels: ["sensor": "true", "port": "1_1_x1"]),
            NodeRecord(name: "b", labels: ["sensor": "true", "port": "1_1_x1"]),
        ]), excluding: ["a"])
        #expect(set.ports.isEmpty)
    }

    @Test func emptyClusterGivesEmptySet() {
        #expect(SensorSet(snapshot: .empty(keys: .default)).ports.isEmpty)
    }
}
