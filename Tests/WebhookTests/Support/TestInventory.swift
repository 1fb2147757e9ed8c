import Synchronization
import TroxileiaCore

/// A node inventory the test changes at will: sync state, nodes.
final class TestInventory: NodeInventory {
    private let state: Mutex<(snapshot: NodeSnapshot, synced: Bool)>

    init(_ nodes: [NodeRecord] = [], synced: Bool = true) {
        state = Mutex((NodeSnapshot(nodes: nodes, keys: .default), synced))
    }

    func snapshot() -> NodeSnapshot { state.withLock { $0.snapshot } }
    var isSynced: Bool { state.withLock { $0.synced } }
    func changes() -> AsyncStream<Int> { AsyncStream { $0.finish() } }

    func set(_ nodes: [NodeRecord]) { state.withLock { $0.snapshot = NodeSnapshot(nodes: nodes, keys: .default) } }
    func setSynced(_ synced: Bool) { state.withLock { $0.synced = synced } }
}
