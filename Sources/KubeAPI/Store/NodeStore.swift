import Synchronization
import TroxileiaCore

/// The cluster's nodes as a `NodeInventory`: what the webhook decides against and the
/// reconciler computes from. The snapshot (with its port index) is rebuilt at most once per
/// change, on first read, so a burst of events costs one rebuild, not one per event.
public final class NodeStore: NodeInventory {
    /// The raw objects, written by the node reflector.
    public let objects = ObjectStore<NodeRecord>()
    private let keys: LabelKeys
    private let cache: Mutex<(version: Int, snapshot: NodeSnapshot)>

    public init(keys: LabelKeys) {
        self.keys = keys
        cache = Mutex((-1, NodeSnapshot.empty(keys: keys)))
    }

    public func snapshot() -> NodeSnapshot {
        let version = objects.version
        if let cached = cache.withLock({ $0.version == version ? $0.snapshot : nil }) { return cached }
        let snapshot = NodeSnapshot(nodes: objects.objects.values, keys: keys)
        cache.withLock { if $0.version < version { $0 = (version, snapshot) } }
        return snapshot
    }

    public var isSynced: Bool { objects.isSynced }

    public func changes() -> AsyncStream<NodeSnapshot> {
        let versions = objects.changes()
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task { [self] in
                for await _ in versions { continuation.yield(snapshot()) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
