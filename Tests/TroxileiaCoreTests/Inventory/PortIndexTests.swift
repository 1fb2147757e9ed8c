import Testing
import TroxileiaCore

@Suite struct PortIndexTests {
    private let keys = LabelKeys.default

    @Test func indexesValidPortsWhateverTheSensorFlagOrDeletion() throws {
        let index = PortIndex(nodes: [
            NodeRecord(name: "a", labels: ["port": "1_1_x1", "sensor": "true"]),
            NodeRecord(name: "b", labels: ["port": "1_1_x2", "sensor": "false"]),
            NodeRecord(name: "c", labels: ["port": "1_1_x3"], isTerminating: true),
            NodeRecord(name: "d", labels: ["port": "bad"]),
            NodeRecord(name: "e"),
        ], keys: keys)
        #expect(index.count == 3)
        #expect(index.holders(of: try TapPort(label: "1_1_x2")) == ["b"])
        #expect(index.holders(of: try TapPort(label: "1_1_x3")) == ["c"])
        #expect(index.holders(of: try TapPort(label: "1_1_x9")).isEmpty)
        #expect(index.conflicts.isEmpty)
    }

    @Test func reportsConflictsWithSortedHolders() throws {
        let index = PortIndex(nodes: [
            NodeRecord(name: "zeta", labels: ["port": "1_1_x1"]),
            NodeRecord(name: "alpha", labels: ["port": "1_1_x1"]),
            NodeRecord(name: "mid", labels: ["port": "1_1_x1"]),
            NodeRecord(name: "solo", labels: ["port": "2_1_x1"]),
        ], keys: keys)
        let port = try TapPort(label: "1_1_x1")
        #expect(index.conflicts == [PortConflict(port: port, nodes: ["alpha", "mid", "zeta"])])
        #expect(index.holders(of: port, excluding: "mid") == ["alpha", "zeta"])
    }

    @Test func usesTheConfiguredPortKey() throws {
        let index = PortIndex(nodes: [NodeRecord(name: "a", labels: ["port": "1_1_x1", "tap": "1_1_x2"])],
                              keys: LabelKeys(sensor: "sensor", port: "tap"))
        #expect(index.holders(of: try TapPort(label: "1_1_x2")) == ["a"])
        #expect(index.holders(of: try TapPort(label: "1_1_x1")).isEmpty)
    }

    @Test func snapshotKeepsTheLastRecordOfAName() throws {
        let snapshot = NodeSnapshot(nodes: [
            NodeRecord(name: "a", labels: ["port": "1_1_x1"]),
            NodeRecord(name: "a", labels: ["port": "1_1_x2"]),
        ], keys: keys)
        #expect(snapshot.nodes.count == 1)
        #expect(snapshot.portIndex.conflicts.isEmpty)
        #expect(snapshot.portIndex.holders(of: try TapPort(label: "1_1_x2")) == ["a"])
    }
}
