/// The tap ports that should receive mirrored traffic, computed from all nodes at once.
///
/// Level-based: always the whole set from a whole snapshot, never an edit of a running list.
/// A port goes in when a node is a valid sensor with a valid port, is not terminating, is not
/// left out by the caller (pod health, the exclude annotation), and is the only node carrying
/// that port. A contested port is left out for every claimant: mirrored traffic must never
/// reach a node that is not meant to see it.
public struct SensorSet: Hashable, Sendable {
    /// Why a node's port is not in the set.
    public enum Omission: Hashable, Sendable {
        /// `sensor` is not `true`/`false`.
        case invalidSensorValue
        /// `sensor=true` without a `port` label.
        case missingPort
        /// `sensor=true` with a malformed `port`.
        case invalidPort
        /// Its port is also labelled on the other nodes named.
        case duplicatePort(TapPort, others: [String])
        /// The node is being deleted.
        case terminating
        /// The caller left it out (see `init(snapshot:excluding:)`).
        case excluded
    }

    /// The desired ports, sorted and unique.
    public let ports: [TapPort]
    /// Which node each desired port belongs to.
    public let owners: [TapPort: String]
    /// A node left out, and why.
    public struct OmittedNode: Hashable, Sendable {
        public let node: String
        public let reason: Omission

        public init(node: String, reason: Omission) {
            self.node = node
            self.reason = reason
        }
    }

    /// Nodes that would be sensors but are left out, with the reason; sorted by node name.
    public let omitted: [OmittedNode]
    /// Ports carried by more than one node (every such port is left out).
    public let conflicts: [PortConflict]

    /// A set from parts already computed (`IncrementalSensorSet.sensorSet`).
    init(ports: [TapPort], owners: [TapPort: String], omitted: [OmittedNode], conflicts: [PortConflict]) {
        self.ports = ports
        self.owners = owners
        self.omitted = omitted
        self.conflicts = conflicts
    }

    /// Computes the set from `snapshot`, leaving out the nodes named in `excluded`.
    public init(snapshot: NodeSnapshot, excluding excluded: Set<String> = []) {
        let keys = snapshot.keys
        let conflicts = snapshot.portIndex.conflicts
        let contested = Dictionary(uniqueKeysWithValues: conflicts.map { ($0.port, $0.nodes) })
        var owners: [TapPort: String] = [:]
        var omitted: [OmittedNode] = []
        for node in snapshot.nodes.values {
            let labels = node.sensorLabels(keys)
            switch labels.sensor {
            case .failure:
                omitted.append(OmittedNode(node: node.name, reason: .invalidSensorValue))
                continue
            case .success(false):
                continue
            case .success(true):
                break
            }
            let reason: Omission?
            switch labels.port {
            case nil: reason = .missingPort
            case .failure?: reason = .invalidPort
            case .success(let port)?:
                if let holders = contested[port] {
                    reason = .duplicatePort(port, others: holders.filter { $0 != node.name })
                } else if node.isTerminating {
                    reason = .terminating
                } else if excluded.contains(node.name) {
                    reason = .excluded
                } else {
                    owners[port] = node.name
                    reason = nil
                }
            }
            if let reason { omitted.append(OmittedNode(node: node.name, reason: reason)) }
        }
        self.ports = owners.keys.sorted()
        self.owners = owners
        self.omitted = omitted.sorted { $0.node < $1.node }
        self.conflicts = conflicts
    }
}
