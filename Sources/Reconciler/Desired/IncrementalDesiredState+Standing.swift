import TroxileiaCore

/// One node's standing from the kept state, as `DesiredState.init` derives it from a whole snapshot.
extension IncrementalDesiredState {
    /// The standing of `name` now; `nil` when the node is not held.
    public func standing(of name: String) -> DesiredState.Node? {
        guard let facts = sensors.facts[name], let extra = extras[name] else { return nil }
        let omission = sensors.omission(of: name)
        var exclusions: [DesiredState.Node.Exclusion] = []
        if omission == .excluded {
            if extra.overrides.excluded { exclusions.append(.annotation) }
            let failing = podHealth.failingPods(on: name)
            if !failing.isEmpty { exclusions.append(.podHealth(failing)) }
        }
        var conflict: PortConflict?
        var isPushed = false
        if let port = facts.port {
            let holders = sensors.holders(of: port)
            if holders.count > 1 { conflict = PortConflict(port: port, nodes: holders) }
            isPushed = sensors.owners[port] == name
        }
        return DesiredState.Node(name: name, uid: extra.uid, port: facts.port, isPushed: isPushed, omission: omission,
                                 exclusions: exclusions, conflict: conflict, annotationProblems: extra.overrides.problems)
    }

    /// Names of every node held, in no order.
    public var nodeNames: Dictionary<String, NodeFacts>.Keys { sensors.facts.keys }

    /// Every node's standing, by name (`DesiredState.nodes`), derived now: O(nodes), for a test;
    /// a new leader's first Events walk `nodeNames` instead. Standings are not stored (they would cost a few hundred bytes a
    /// node); an update derives the few it touches.
    public var nodes: [String: DesiredState.Node] {
        var nodes: [String: DesiredState.Node] = [:]
        nodes.reserveCapacity(sensors.count)
        for name in sensors.facts.keys {
            if let node = standing(of: name) { nodes[name] = node }
        }
        return nodes
    }

    /// `node: reason` lines for the status ConfigMap (`DesiredState.Node.exclusionLines`), derived from
    /// the nodes left out only: for a status write, not per event.
    public var exclusionLines: [String] {
        DesiredState.Node.exclusionLines(sensors.omittedNodes.compactMap { standing(of: $0) })
    }
}
