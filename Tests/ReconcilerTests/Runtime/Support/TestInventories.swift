import Foundation
import Reconciler
import Synchronization
import TroxileiaCore

/// Nodes the test sets by hand. `snapshot()` counts its calls (one per recompute) and can be held
/// (`hold()`) to keep the reconciler busy inside a recompute while the test posts more changes.
final class TestNodes: NodeInventory {
    private struct State {
        var nodes: [String: NodeRecord] = [:]
        var synced = true
        var snapshots = 0
        var holding = false
        var held = false
    }

    private let state = Mutex(State())
    private let feed = ChangeFeed<NodeSnapshot>()
    private let release = DispatchSemaphore(value: 0)

    /// Nodes labelled `sensor=true`, `port=<port>` for each `(name, port)`.
    init(_ sensors: [(String, String)] = []) {
        state.withLock { state in
            for (name, port) in sensors { state.nodes[name] = Self.sensor(name, port: port) }
        }
    }

    /// A sensor node record.
    static func sensor(_ name: String, port: String) -> NodeRecord {
        NodeRecord(name: name, uid: "u-\(name)", labels: ["sensor": "true", "port": port])
    }

    func snapshot() -> NodeSnapshot {
        let (nodes, hold) = state.withLock { state in
            state.snapshots += 1
            let hold = state.holding
            if hold { state.holding = false; state.held = true }
            return (state.nodes, hold)
        }
        if hold {
            release.wait()
            state.withLock { $0.held = false }
        }
        return NodeSnapshot(nodes: nodes.values, keys: .default)
    }

    var isSynced: Bool { state.withLock { $0.synced } }
    func changes() -> AsyncStream<NodeSnapshot> { feed.stream() }

    /// `snapshot()` calls so far.
    var snapshots: Int { state.withLock { $0.snapshots } }
    /// Whether a `snapshot()` is being held now.
    var isHeld: Bool { state.withLock { $0.held } }
    /// Change notifications the reconciler's feeder has taken.
    var changesTaken: Int { feed.taken }

    /// Sets (or replaces) a node and posts a change.
    func set(_ node: NodeRecord) {
        state.withLock { $0.nodes[node.name] = node }
        feed.post(NodeSnapshot.empty(keys: .default))
    }

    /// Removes a node and posts a change.
    func remove(_ name: String) {
        state.withLock { _ = $0.nodes.removeValue(forKey: name) }
        feed.post(NodeSnapshot.empty(keys: .default))
    }

    /// Makes the next `snapshot()` wait until `letGo()`.
    func hold() { state.withLock { $0.holding = true } }
    /// Ends a held `snapshot()`.
    func letGo() { release.signal() }
}

/// Sensor pods the test sets by hand.
final class TestPods: SensorPodInventory {
    private let pods = Mutex<[String: PodRecord]>([:])
    private let feed = ChangeFeed<Int>()

    func sensorPods() -> [PodRecord] { pods.withLock { Array($0.values) } }
    var isSynced: Bool { true }
    func changes() -> AsyncStream<Int> { feed.stream() }

    /// Sets (or replaces) a pod by uid and posts a change.
    func set(_ pod: PodRecord) {
        pods.withLock { $0[pod.uid] = pod }
        feed.post(0)
    }
}
