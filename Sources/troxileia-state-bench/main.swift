import Foundation
import Glibc
import TroxileiaCore

// `troxileia-state-bench` (issue 18): CPU per node event for the derived sensor state at several
// cluster sizes, old against new in one process.
//  - old: what every node event costs before issue 18 — the whole NodeSnapshot (every node's port
//    label re-read into the port index) and the whole SensorSet rebuilt. A lower bound of the old
//    `Reconciler.recompute`, which also rebuilds DesiredState and diffs every node's Events.
//  - new: `IncrementalSensorSet.upsert` of the changed node; the desired ports are materialized once
//    per push (shown separately).
// Usage: troxileia-state-bench [NODES ...]   (default 500 5000 50000)

/// CPU seconds this process has used (user + system).
func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// A metadata-only node shaped like a cloud node: 18 labels, 6 annotations; every tenth is a sensor
/// with its own port.
func makeNode(_ index: Int, sensor: Bool) -> NodeRecord {
    var labels: [String: String] = [
        "kubernetes.io/hostname": "node-\(index)", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64",
        "node.kubernetes.io/instance-type": "m6i.4xlarge", "topology.kubernetes.io/region": "eu-west-1",
        "topology.kubernetes.io/zone": "eu-west-1\(["a", "b", "c"][index % 3])",
        "node-role.kubernetes.io/worker": "", "pool": "pool-\(index % 17)", "team": "team-\(index % 31)",
        "failure-domain.beta.kubernetes.io/zone": "eu-west-1a", "cloud.example.com/image": "ami-0123456789abcdef",
        "cloud.example.com/generation": "\(index % 5)", "rack": "r\(index % 40)",
    ]
    if index % 10 == 0 {
        let slot = index / 10
        labels["sensor"] = sensor ? "true" : "false"
        labels["port"] = "\(slot / (32 * 128) % 255 + 1)_\(slot / 128 % 32 + 1)_x\(slot % 128 + 1)"
    }
    let annotations = [
        "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        "csi.volume.kubernetes.io/nodeid": "{\"ebs.csi.aws.com\":\"i-\(index)\"}",
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
        "projectcalico.org/IPv4Address": "10.0.\(index / 250 % 250).\(index % 250)/16", "owner": "platform",
    ]
    return NodeRecord(name: "node-\(index)", uid: "uid-\(index)", labels: labels, annotations: annotations)
}

/// A cheap deterministic generator, so old and new see the same event sequence.
struct SplitMix {
    var state: UInt64
    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

/// The i-th event: half flip a sensor's flag (the desired set changes), half touch an unrelated label.
func event(_ generator: inout SplitMix, nodes: inout [String: NodeRecord], count: Int) -> NodeRecord {
    let index = generator.next(below: count / 10) * 10 + (generator.next(below: 2) == 0 ? 0 : 1)
    guard var node = nodes["node-\(index)"] else { return makeNode(index, sensor: true) }
    if index % 10 == 0 {
        node.labels["sensor"] = node.labels["sensor"] == "true" ? "false" : "true"
    } else {
        node.labels["cloud.example.com/generation"] = "\(generator.next(below: 1_000))"
    }
    nodes[node.name] = node
    return node
}

/// Reports a broken invariant and exits with status 1.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("troxileia-state-bench: \(message)\n".utf8))
    exit(1)
}

/// `text` padded with spaces to `width`.
func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0) }

/// `value` with `digits` decimals.
func fixed(_ value: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", value) }

let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
var sink = 0
print("nodes   old ms/event (events)   new ms/event (events)   speed-up   push: ports ms   initial load: old ms / new ms")
for size in sizes.isEmpty ? [500, 5_000, 50_000] : sizes {
    var nodes: [String: NodeRecord] = [:]
    for index in 0..<size { nodes["node-\(index)"] = makeNode(index, sensor: index % 20 == 0) }

    var loadStart = cpuSeconds()
    let firstSnapshot = NodeSnapshot(nodes: nodes.values, keys: .default)
    sink &+= SensorSet(snapshot: firstSnapshot).ports.count
    let oldLoad = cpuSeconds() - loadStart
    loadStart = cpuSeconds()
    var state = IncrementalSensorSet(keys: .default)
    for node in nodes.values { state.upsert(node) }
    let newLoad = cpuSeconds() - loadStart
    guard state.sensorSet == SensorSet(snapshot: firstSnapshot) else { fail("incremental state differs after load") }

    // Old: one full rebuild per event.
    let oldEvents = max(10, 200_000 / size)
    var oldNodes = nodes
    var generator = SplitMix(state: 18)
    var start = cpuSeconds()
    for _ in 0..<oldEvents {
        _ = event(&generator, nodes: &oldNodes, count: size)
        let snapshot = NodeSnapshot(nodes: oldNodes.values, keys: .default)
        sink &+= SensorSet(snapshot: snapshot).ports.count
    }
    let old = (cpuSeconds() - start) / Double(oldEvents)

    // New: the delta only.
    let newEvents = 20_000
    var newNodes = nodes
    generator = SplitMix(state: 18)
    start = cpuSeconds()
    for _ in 0..<newEvents { state.upsert(event(&generator, nodes: &newNodes, count: size)) }
    let new = (cpuSeconds() - start) / Double(newEvents)

    start = cpuSeconds()
    let pushes = 50
    for _ in 0..<pushes { sink &+= state.ports.count }
    let push = (cpuSeconds() - start) / Double(pushes)
    guard state.sensorSet == SensorSet(snapshot: NodeSnapshot(nodes: newNodes.values, keys: .default)) else {
        fail("incremental state differs from the full recompute after the events")
    }
    var row = pad(String(size), 8) + pad("\(fixed(old * 1000, 3)) (\(oldEvents))", 24)
    row += pad("\(fixed(new * 1000, 5)) (\(newEvents))", 24) + pad("\(Int(old / new))x", 11)
    row += pad(fixed(push * 1000, 3), 17) + "\(fixed(oldLoad * 1000, 1)) / \(fixed(newLoad * 1000, 1))"
    print(row)
    print("{\"nodes\":\(size),\"old_ms_per_event\":\(fixed(old * 1000, 5)),\"new_ms_per_event\":\(fixed(new * 1000, 5)),"
          + "\"push_ports_ms\":\(fixed(push * 1000, 5)),\"load_old_ms\":\(fixed(oldLoad * 1000, 2)),"
          + "\"load_new_ms\":\(fixed(newLoad * 1000, 2))}")
}
if sink == 42 { print("") }
