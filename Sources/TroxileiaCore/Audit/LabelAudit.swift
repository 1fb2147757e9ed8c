/// Every finding about the contract labels of a set of nodes: what `troxileia validate` and
/// `doctor` report. Unlike admission, nothing ratchets here: every current value is judged.
public enum LabelAudit {
    /// Findings for `nodes` under `keys`, sorted by node name, then errors before warnings.
    /// A name that appears twice counts once (the later record wins), as it would in a cluster.
    public static func findings(for nodes: some Sequence<NodeRecord>, keys: LabelKeys) -> [LabelFinding] {
        let snapshot = NodeSnapshot(nodes: nodes, keys: keys)
        var findings: [LabelFinding] = []
        for node in snapshot.nodes.values {
            let labels = node.sensorLabels(keys)
            if let value = labels.sensorValue,
               let finding = LabelRules.sensorSyntax(node: node.name, key: keys.sensor, value: value) {
                findings.append(finding)
            }
            if let value = labels.portValue,
               let finding = LabelRules.portSyntax(node: node.name, key: keys.port, value: value) {
                findings.append(finding)
            } else if let finding = LabelRules.sensorPort(node: node.name, labels: labels, keys: keys) {
                findings.append(finding)
            }
        }
        for conflict in snapshot.portIndex.conflicts {
            for node in conflict.nodes {
                findings.append(LabelRules.portShared(node: node, key: keys.port, conflict: conflict))
            }
        }
        return findings.sorted {
            ($0.node, $0.severity == .error ? 0 : 1, $0.label ?? "") < ($1.node, $1.severity == .error ? 0 : 1, $1.label ?? "")
        }
    }
}
