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

    /// Holders added one by one stay sorted and unique; removing the last one removes the port.
    @Test func insertsAndRemovesHoldersInOrder() throws {
        let port = try TapPort(label: "1_1_x1")
        var index = PortIndex()
        for name in ["mid", "zeta", "alpha", "mid"] { index.insert(name, holding: port) }
        #expect(index.holders(of: port) == ["alpha", "mid", "zeta"])
        #expect(index == PortIndex(nodes: ["zeta", "alpha", "mid"].map { NodeRecord(name: $0, labels: ["port": "1_1_x1"]) },
                                   keys: keys))
        for name in ["alpha", "zeta", "nobody", "mid"] { index.remove(name, holding: port) }
        #expect(index.holders(of: port).isEmpty && index.count == 0 && index == PortIndex())
    }
}
