import TroxileiaCore

/// One node's standing from the kept state, as `DesiredState.init` derives it from a whole snapshot.
extension IncrementalDesiredState {
    /// The standing of `name` now; `nil` when the node is not held.
    func standing(of name: String) -> DesiredState.Node? {
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

    /// `node: reason` lines for the status ConfigMap (`DesiredState.Node.exclusionLines`), materialized
    /// from the standings: O(nodes · log nodes), for a status write, not per event.
    public var exclusionLines: [String] { DesiredState.Node.exclusionLines(nodes.values) }
}
