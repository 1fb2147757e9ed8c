/// The port index and the sensor set kept up to date by deltas (issue 18): a node added, changed or
/// removed, or a node's exclusion set or cleared, costs the work on that node and on the other
/// holders of its old and new port, never a pass over the cluster.
///
/// `SensorSet(snapshot:excluding:)` stays the reference: `sensorSet` equals it for the same nodes and
/// exclusions (a property test holds the two equal after random event sequences). A value: pure,
/// no I/O, no clock.
public struct IncrementalSensorSet: PortHolders, Sendable {
    /// The label keys every node is parsed with.
    public let keys: LabelKeys
    /// Every node's parsed facts, by name.
    public private(set) var facts: [String: NodeFacts] = [:]
    /// Which node each desired port belongs to.
    public private(set) var owners: [TapPort: String] = [:]
    /// Which nodes hold which port (every valid port label, whatever the sensor flag).
    public private(set) var portIndex = PortIndex()
    /// Nodes the caller leaves out (annotation, pod health); may name nodes not (yet) present.
    private var excluded: Set<String> = []
    /// Why each would-be sensor is left out; absent when pushed or no sensor.
    private var omissions: [String: SensorSet.Omission] = [:]

    /// An empty state.
    public init(keys: LabelKeys) { self.keys = keys }

    /// Number of nodes held.
    public var count: Int { facts.count }

    /// Adds or replaces a node.
    public mutating func upsert(_ node: NodeRecord) {
        apply(name: node.name, NodeFacts(node, keys: keys))
    }

    /// Adds or replaces a node from facts parsed elsewhere (the node store parses each node once and
    /// the reconciler's state reuses them); `facts` must have been parsed under `keys`.
    public mutating func upsert(_ facts: NodeFacts) {
        apply(name: facts.name, facts)
    }

    /// Removes a node; nothing happens when it is not held.
    public mutating func remove(node name: String) {
        apply(name: name, nil)
    }

    /// Leaves `name` out of the set (or lets it back in); only that node's standing changes.
    public mutating func setExcluded(_ name: String, _ isExcluded: Bool) {
        guard isExcluded != excluded.contains(name) else { return }
        if isExcluded { excluded.insert(name) } else { excluded.remove(name) }
        refresh(name)
    }

    /// Names of the nodes labelled with `port`, sorted.
    public func holders(of port: TapPort) -> [String] { portIndex.holders(of: port) }

    /// Why `name` is left out; `nil` when it is pushed, no sensor or not held.
    public func omission(of name: String) -> SensorSet.Omission? { omissions[name] }

    /// Names of the nodes left out (those with an omission), in no order.
    public var omittedNodes: Dictionary<String, SensorSet.Omission>.Keys { omissions.keys }

    /// Whether `name` is excluded by the caller (`setExcluded`).
    public func isExcluded(_ name: String) -> Bool { excluded.contains(name) }

    /// The desired ports, sorted and unique (O(ports · log ports), for a push or a comparison).
    public var ports: [TapPort] { owners.keys.sorted() }

    /// The whole set as `SensorSet(snapshot:excluding:)` would compute it: materialized from the kept
    /// state (sorting the omissions and conflicts), no label parsed.
    public var sensorSet: SensorSet {
        let conflicts = portIndex.conflicts
        let omitted = omissions.map { SensorSet.OmittedNode(node: $0.key, reason: $0.value) }.sorted { $0.node < $1.node }
        return SensorSet(ports: ports, owners: owners, omitted: omitted, conflicts: conflicts)
    }

    private mutating func apply(name: String, _ new: NodeFacts?) {
        let old = facts[name]
        guard old != new else { return }
        if let port = old?.port {
            if owners[port] == name { owners[port] = nil }
            if port != new?.port { portIndex.remove(name, holding: port) }
        }
        if let port = new?.port, port != old?.port { portIndex.insert(name, holding: port) }
        facts[name] = new
        refresh(name)
        // The other holders of the old and the new port may have gained or lost a conflict.
        for port in Set([old?.port, new?.port].compactMap { $0 }) {
            for holder in holders(of: port) where holder != name { refresh(holder) }
        }
    }

    /// Recomputes one node's omission and ownership from its facts and its port's holders.
    private mutating func refresh(_ name: String) {
        guard let node = facts[name] else {
            omissions[name] = nil
            return
        }
        if let port = node.port, owners[port] == name { owners[port] = nil }
        let omission: SensorSet.Omission?
        switch node.claim {
        case .none: omission = nil
        case .invalidSensorValue: omission = .invalidSensorValue
        case .missingPort: omission = .missingPort
        case .invalidPort: omission = .invalidPort
        case .sensor:
            guard let port = node.port else { omission = .invalidPort; break }
            let holders = holders(of: port)
            if holders.count > 1 {
                omission = .duplicatePort(port, others: holders.filter { $0 != name })
            } else if node.isTerminating {
                omission = .terminating
            } else if excluded.contains(name) {
                omission = .excluded
            } else {
                owners[port] = name
                omission = nil
            }
        }
        omissions[name] = omission
    }
}
