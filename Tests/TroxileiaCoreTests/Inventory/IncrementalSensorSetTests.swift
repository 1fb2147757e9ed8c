import PropertyBased
import Testing
@testable import TroxileiaCore

/// The incremental state against the full recompute it replaces (issue 18).
@Suite struct IncrementalSensorSetTests {
    /// One random step: an upsert, a removal or an exclusion change, decoded from one integer so the
    /// generator shrinks a failing sequence to a short one.
    struct Step {
        static let names = ["a", "b", "c", "d", "e", "f"]
        static let ports: [String?] = [nil, "1_1_x1", "1_1_x2", "2_3_c4", "not-a-port"]
        static let sensors: [String?] = [nil, "true", "false", "yes"]
        let code: Int

        var name: String { Self.names[code % Self.names.count] }
        var kind: Int { (code / 6) % 5 }

        func record() -> NodeRecord {
            var labels: [String: String] = ["kubernetes.io/os": "linux"]
            labels["sensor"] = Self.sensors[(code / 30) % Self.sensors.count]
            labels["port"] = Self.ports[(code / 120) % Self.ports.count]
            return NodeRecord(name: name, uid: "uid-\(name)", labels: labels, isTerminating: (code / 600) % 4 == 0)
        }
    }

    /// After any event sequence the incremental set, its holders and its ports equal the full
    /// recompute over the same nodes and exclusions.
    @Test func equalsTheFullRecomputeAfterRandomEvents() async {
        await propertyCheck(count: 1_500, input: Gen.int(in: 0...2_399).array(of: 0...40)) { codes in
            var incremental = IncrementalSensorSet(keys: .default)
            var nodes: [String: NodeRecord] = [:]
            var excluded: Set<String> = []
            for step in codes.map(Step.init) {
                switch step.kind {
                case 0, 1, 2:
                    let node = step.record()
                    nodes[node.name] = node
                    incremental.upsert(node)
                case 3:
                    nodes[step.name] = nil
                    incremental.remove(node: step.name)
                default:
                    let exclude = !excluded.contains(step.name)
                    if exclude { excluded.insert(step.name) } else { excluded.remove(step.name) }
                    incremental.setExcluded(step.name, exclude)
                }
            }
            let snapshot = NodeSnapshot(nodes: nodes.values, keys: .default)
            let reference = SensorSet(snapshot: snapshot, excluding: excluded)
            #expect(incremental.sensorSet == reference)
            #expect(incremental.ports == reference.ports)
            #expect(incremental.count == nodes.count)
            for port in Set(nodes.values.compactMap { $0.sensorLabels(.default).validPort }) {
                #expect(incremental.holders(of: port) == snapshot.portIndex.holders(of: port))
            }
        }
    }

    /// A second holder of a port takes it out for both; removing it restores the first node's port.
    @Test func aDuplicateAndItsRemovalMoveTheOtherHolder() throws {
        let port = try TapPort(label: "1_1_x1")
        var state = IncrementalSensorSet(keys: .default)
        state.upsert(NodeRecord(name: "a", labels: ["sensor": "true", "port": "1_1_x1"]))
        #expect(state.ports == [port])
        state.upsert(NodeRecord(name: "b", labels: ["sensor": "false", "port": "1_1_x1"]))
        #expect(state.ports.isEmpty)
        #expect(state.sensorSet.omitted == [SensorSet.OmittedNode(node: "a", reason: .duplicatePort(port, others: ["b"]))])
        state.remove(node: "b")
        #expect(state.ports == [port])
        #expect(state.sensorSet.omitted.isEmpty)
    }

    /// Excluding a node drops its port and lets it back in when cleared; exclusions of unknown nodes
    /// apply once they appear.
    @Test func exclusionsFollowTheNode() throws {
        let port = try TapPort(label: "2_3_c4")
        var state = IncrementalSensorSet(keys: .default)
        state.setExcluded("a", true)
        state.upsert(NodeRecord(name: "a", labels: ["sensor": "true", "port": "2_3_c4"]))
        #expect(state.ports.isEmpty)
        state.setExcluded("a", false)
        #expect(state.ports == [port])
        #expect(state.owners[port] == "a")
    }
}
