import KubeAPI
import Testing
import TroxileiaCore

/// The node store as the webhook and the reconciler read it (issue 18): the port index and the change
/// journal follow the reflector's writes, node by node.
@Suite struct NodeStoreTests {
    static func node(_ name: String, port: String? = nil, annotations: [String: String] = [:]) -> NodeRecord {
        var labels = ["sensor": "true"]
        labels["port"] = port
        return NodeRecord(name: name, labels: labels, annotations: annotations)
    }

    @Test func theNodeStoreIsANodeInventory() async throws {
        let store = NodeStore(keys: .default)
        #expect(!store.isSynced)
        store.objects.replace(with: [("a", Self.node("a", port: "1_1_x1"))])
        #expect(store.isSynced)
        #expect(store.portIndex().holders(of: try TapPort(label: "1_1_x1")) == ["a"])
        #expect(store.snapshot().portIndex == store.portIndex())
        var changes = store.changes().makeAsyncIterator()
        let first = await changes.next()
        store.objects.upsert(key: "b", value: Self.node("b", port: "1_1_x1"))
        #expect(await changes.next() != first)
        #expect(store.portIndex().conflicts.count == 1)
    }

    @Test func thePortIndexFollowsChangedAndRemovedNodes() throws {
        let store = NodeStore(keys: .default)
        let x1 = try TapPort(label: "1_1_x1"), x2 = try TapPort(label: "1_1_x2")
        store.objects.replace(with: [("a", Self.node("a", port: "1_1_x1")), ("b", Self.node("b", port: "1_1_x1"))])
        #expect(store.portIndex().holders(of: x1) == ["a", "b"])
        store.objects.upsert(key: "b", value: Self.node("b", port: "1_1_x2"))
        #expect(store.portIndex().holders(of: x1) == ["a"] && store.portIndex().holders(of: x2) == ["b"])
        store.objects.remove(key: "a")
        #expect(store.portIndex().holders(of: x1).isEmpty)
        // A relist that keeps only c, whose port is malformed, empties the index.
        store.objects.replace(with: [("c", Self.node("c", port: "not-a-port"))])
        #expect(store.portIndex() == PortIndex())
    }

    @Test func theJournalNamesEachChangedNodeOnceWithItsParsedLabels() throws {
        let store = NodeStore(keys: .default)
        store.objects.replace(with: [("a", Self.node("a", port: "1_1_x1")), ("b", Self.node("b"))])
        let first = store.nodeChanges(after: nil)
        #expect(first.isComplete && first.upserted.map(\.record.name).sorted() == ["a", "b"])
        #expect(store.nodeChanges(after: first.cursor).isEmpty, "nothing changed since")
        store.objects.upsert(key: "b", value: Self.node("b", port: "1_1_x2"))
        store.objects.upsert(key: "b", value: Self.node("b", port: "1_1_x3"))
        store.objects.upsert(key: "c", value: Self.node("c"))
        store.objects.remove(key: "a")
        store.objects.upsert(key: "c", value: Self.node("c"))   // unchanged: no journal entry
        let delta = store.nodeChanges(after: first.cursor)
        #expect(!delta.isComplete)
        #expect(delta.upserted.map(\.record.name).sorted() == ["b", "c"])
        #expect(delta.upserted.first { $0.record.name == "b" }?.facts.port == (try TapPort(label: "1_1_x3")))
        #expect(delta.removed == ["a"])
        #expect(store.nodeChanges(after: delta.cursor).isEmpty)
    }

    /// A reader further behind than the journal keeps gets every node: the bound costs time, never a change.
    @Test func aReaderBehindTheJournalGetsEveryNode() {
        let store = NodeStore(keys: .default, journalCapacity: 4)
        store.objects.replace(with: [("a", Self.node("a"))])
        let start = store.nodeChanges(after: nil)
        for index in 0..<10 { store.objects.upsert(key: "n\(index)", value: Self.node("n\(index)")) }
        store.objects.remove(key: "a")
        let late = store.nodeChanges(after: start.cursor)
        #expect(late.isComplete)
        #expect(late.upserted.count == 10 && late.removed.isEmpty)
        #expect(store.nodeChanges(after: NodeChanges.Cursor(position: 1_000)).isComplete, "a cursor from elsewhere")
    }
}
