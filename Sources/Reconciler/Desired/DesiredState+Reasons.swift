import TroxileiaCore

/// Why a node is left out, as one line: the one wording the status ConfigMap, `troxileia plan` and
/// the `InvalidSensorLabels` Event share.
extension DesiredState.Node {
    /// Why this would-be sensor's port is not pushed; `nil` when it is pushed or is no sensor.
    public var leftOutReason: String? {
        switch omission {
        case nil: nil
        case .excluded: exclusions.map(\.summary).joined(separator: "; ")
        case .duplicatePort(let port, let others): "tap port \(port.cliName) is also labelled on \(others.joined(separator: ", "))"
        case .terminating: "the node is being deleted"
        case let labels?: Self.labelProblem(labels)
        }
    }

    /// What is wrong with a node's labels; `nil` for omissions that are not about labels.
    static func labelProblem(_ omission: SensorSet.Omission) -> String? {
        switch omission {
        case .invalidSensorValue: "the sensor label is neither \"true\" nor \"false\""
        case .missingPort: "the node is labelled sensor=true but has no port label"
        case .invalidPort: "the port label is not a valid tap port"
        case .duplicatePort, .terminating, .excluded: nil
        }
    }
}

extension DesiredState.Node.Exclusion {
    /// The cause in a few words: the annotation, or each failing pod with how long and its timeout.
    public var summary: String {
        switch self {
        case .annotation: "annotation \(NodeOverrides.Key.exclude)=\"true\""
        case .podHealth(let pods): pods.map(\.message).joined(separator: "; ")
        }
    }
}

/// Would-be sensors left out, counted by a cause in closed set (the `reason` label of
/// `troxileia_reconciler_left_out_nodes`, issue 16's dashboard panel "nodes left out by reason").
extension DesiredState {
    /// Every reason, in the order the dashboard lists them; each is exported, 0 when no node has it.
    public static let leftOutReasons = ["pod_not_ready", "exclude_annotation", "duplicate_port", "invalid_labels", "terminating"]

    /// How many nodes each reason leaves out. A node both annotated and with a failing pod counts
    /// as `exclude_annotation`, the cause a person set on purpose.
    public var leftOutCounts: [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: Self.leftOutReasons.map { ($0, 0) })
        for node in nodes.values {
            if let reason = node.leftOutCategory { counts[reason, default: 0] += 1 }
        }
        return counts
    }
}

extension DesiredState.Node {
    /// The `leftOutReasons` entry this node counts under; `nil` when it is pushed or no sensor.
    public var leftOutCategory: String? {
        guard let omission else { return nil }
        return switch omission {
        case .excluded: exclusions.contains(.annotation) ? "exclude_annotation" : "pod_not_ready"
        case .duplicatePort: "duplicate_port"
        case .invalidSensorValue, .missingPort, .invalidPort: "invalid_labels"
        case .terminating: "terminating"
        }
    }

    /// `node: reason` lines for the status ConfigMap, sorted by node: nodes left out by annotation,
    /// pod health or a duplicate port (label problems show in `troxileia validate` and their own Events).
    public static func exclusionLines(_ nodes: some Sequence<DesiredState.Node>) -> [String] {
        nodes.sorted { $0.name < $1.name }.compactMap { node in
            guard !node.exclusions.isEmpty || node.isContested, let reason = node.leftOutReason else { return nil }
            return "\(node.name): \(reason)"
        }
    }
}
