import Foundation
import Reconciler
import Synchronization
import TroxileiaCore

/// Nodes the test sets by hand. `snapshot()` counts its calls (one per recompute) and can be made
/// slow once (`burstDuringNextSnapshot`): it then posts a burst of changes from inside the recompute
/// and returns only when the reconciler's feeder has taken them all (at most 2 s), as a recompute of
/// a large cluster is still running when the next changes arrive.
final class TestNodes: NodeInventory {
    private struct State {
        var nodes: [String: NodeRecord] = [:]
        var snapshots = 0
        var burst: [NodeRecord]?
    }

    private let state = Mutex(State())
    private let feed = ChangeFeed<Int>()

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
        let (nodes, burst) = state.withLock { state in
            state.snapshots += 1
            defer { state.burst = nil }
            return (state.nodes, state.burst)
        }
        if let burst {
            let target = feed.taken + burst.count
            for node in burst { set(node) }
            // Bounded: 2,000 checks 1 ms apart; the feeder drains a queued burst in one go.
            for _ in 0..<2_000 where feed.taken < target { usleep(1_000) }
        }
        return NodeSnapshot(nodes: nodes.values, keys: .default)
    }

    var isSynced: Bool { true }
    func changes() -> AsyncStream<Int> { feed.stream() }

    /// `snapshot()` calls so far.
    var snapshots: Int { state.withLock { $0.snapshots } }
    /// Change notifications the reconciler's feeder has taken.
    var changesTaken: Int { feed.taken }

    /// Sets (or replaces) a node and posts a change.
    func set(_ node: NodeRecord) {
        state.withLock { $0.nodes[node.name] = node }
        feed.post(0)
    }

    /// Makes the next `snapshot()` set `nodes` one by one (a change each) and wait for the feeder.
    func burstDuringNextSnapshot(_ nodes: [NodeRecord]) { state.withLock { $0.burst = nodes } }
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
