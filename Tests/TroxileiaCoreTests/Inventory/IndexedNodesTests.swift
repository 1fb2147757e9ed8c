import PropertyBased
import Testing
import TroxileiaCore

/// The node store's index and journal (issue 18) against a rebuild from the same nodes.
@Suite struct IndexedNodesTests {
    static let names = ["a", "b", "c", "d"]
    static let ports: [String?] = [nil, "1_1_x1", "1_1_x2", "bad"]

    static func record(_ code: Int) -> NodeRecord {
        let name = names[code % names.count]
        var labels = ["sensor": code / 4 % 2 == 0 ? "true" : "false"]
        labels["port"] = ports[(code / 8) % ports.count]
        return NodeRecord(name: name, uid: "uid-\(name)", labels: labels)
    }

    /// After random upserts and removals, read in random batches: the port index equals a rebuild,
    /// and a reader that applies every delta holds exactly the store's nodes with their parsed labels.
    @Test func theIndexAndAReaderOfTheJournalMatchARebuild() async {
        await propertyCheck(count: 800, input: Gen.int(in: 0...199).array(of: 0...50)) { codes in
            var indexed = IndexedNodes(keys: .default, journalCapacity: 6)
            var nodes: [String: NodeRecord] = [:]
            var reader: [String: NodeEntry] = [:]
            var cursor: NodeChanges.Cursor?
            func read() {
                let changes = indexed.changes(after: cursor)
                cursor = changes.cursor
                if changes.isComplete { reader = [:] }
                for entry in changes.upserted { reader[entry.record.name] = entry }
                for name in changes.removed { reader[name] = nil }
            }
            for code in codes {
                switch code % 5 {
                case 0:
                    let name = Self.names[(code / 5) % Self.names.count]
                    nodes[name] = nil
                    indexed.remove(name)
                case 1:
                    read()
                default:
                    let node = Self.record(code / 5)
                    nodes[node.name] = node
                    indexed.upsert(node)
                }
            }
            read()
            #expect(indexed.portIndex == PortIndex(nodes: nodes.values, keys: .default))
            #expect(reader == nodes.mapValues { NodeEntry($0, keys: .default) })
            #expect(indexed.count == nodes.count)
        }
    }

    /// Unchanged upserts and removals of unknown nodes write nothing to the journal.
    @Test func noOpsLeaveTheJournalAlone() {
        var indexed = IndexedNodes(keys: .default)
        indexed.upsert(Self.record(1))
        let start = indexed.changes(after: nil)
        indexed.upsert(Self.record(1))
        indexed.remove("nobody")
        #expect(indexed.changes(after: start.cursor).isEmpty)
    }
}
