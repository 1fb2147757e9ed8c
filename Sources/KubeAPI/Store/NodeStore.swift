import Synchronization
import TroxileiaCore

/// The cluster's nodes as a `NodeInventory`: what the webhook decides against and the reconciler
/// computes from. Each node's labels are parsed once, when the reflector writes it, into
/// `IndexedNodes` (issue 18): the port index the webhook reads and the change journal the reconciler
/// reads are kept by delta, so a node event costs that node, not the cluster.
public final class NodeStore: NodeInventory {
    /// The raw objects, written by the node reflector.
    public let objects: ObjectStore<NodeRecord>
    private let keys: LabelKeys
    private let indexed: IndexedNodeState
    private let cache: Mutex<(version: Int, snapshot: NodeSnapshot)>

    /// An empty store parsing labels under `keys`; `journalCapacity` as `IndexedNodes`' (default 16,384).
    public init(keys: LabelKeys, journalCapacity: Int = 16_384) {
        self.keys = keys
        let indexed = IndexedNodeState(IndexedNodes(keys: keys, journalCapacity: journalCapacity))
        self.indexed = indexed
        objects = ObjectStore(onChange: { change, objects in indexed.apply(change, objects) })
        cache = Mutex((-1, NodeSnapshot.empty(keys: keys)))
    }

    /// A whole snapshot, rebuilt at most once per change on first read: a pass over every node, for
    /// readers that need them all (not the per-event paths).
    public func snapshot() -> NodeSnapshot {
        let version = objects.version
        if let cached = cache.withLock({ $0.version == version ? $0.snapshot : nil }) { return cached }
        let snapshot = NodeSnapshot(nodes: objects.objects.values, keys: keys)
        cache.withLock { if $0.version < version { $0 = (version, snapshot) } }
        return snapshot
    }

    public var isSynced: Bool { objects.isSynced }

    public var labelKeys: LabelKeys { keys }

    public func changes() -> AsyncStream<Int> { objects.changes() }

    /// The port index kept by delta: a copy-on-write value, so reading it costs a reference count.
    public func portIndex() -> PortIndex { indexed.state.withLock { $0.portIndex } }

    /// The journal's changes after `cursor`, O(changes); every node for `nil` or a reader that fell behind.
    public func nodeChanges(after cursor: NodeChanges.Cursor?) -> NodeChanges {
        indexed.state.withLock { $0.changes(after: cursor) }
    }
}

/// `IndexedNodes` under its own lock, shared by the store and the object store's change hook. Lock
/// order: the object store's lock, then this one (the hook runs inside the former); readers take
/// only this one, so the two never wait on each other in opposite orders.
private final class IndexedNodeState: Sendable {
    let state: Mutex<IndexedNodes>

    init(_ nodes: IndexedNodes) { state = Mutex(nodes) }

    func apply(_ change: ObjectStore<NodeRecord>.Change, _ objects: [String: NodeRecord]) {
        state.withLock { nodes in
            for key in change.added + change.updated {
                if let record = objects[key] { nodes.upsert(record) }
            }
            for key in change.deleted { nodes.remove(key) }
        }
    }
}
