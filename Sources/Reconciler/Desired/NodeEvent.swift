import TroxileiaCore

/// An Event to record about a Node, as a plain value: the caller hands it to KubeAPI's
/// `EventRecorder` (in namespace `default`, DESIGN.md "Shared contracts"); nothing here talks to the API.
///
/// Produced only on transitions (`transitions(from:to:)`), so a node that stays out does not
/// repeat its Event on every recomputation.
public struct NodeEvent: Hashable, Sendable {
    /// `Normal` or `Warning`, as Kubernetes spells them.
    public enum EventType: String, Hashable, Sendable {
        /// Something went as intended.
        case normal = "Normal"
        /// A person should look.
        case warning = "Warning"
    }

    /// The Event's `reason` (issue 6 names the first three; the fourth is DESIGN.md's "Warning Event"
    /// for a malformed annotation).
    public enum Reason: String, Hashable, Sendable {
        /// A sensor's port newly left out by annotation or pod health. Warning when a pod is the cause
        /// (traffic is lost without anyone asking), Normal when only the annotation is (an operator's wish).
        case sensorExcluded = "SensorExcluded"
        /// A port left out by annotation, pod health or a duplicate is pushed again. Normal.
        case sensorRestored = "SensorRestored"
        /// The node's port is labelled on other nodes too; no claimant is pushed. Warning.
        case duplicateTapPort = "DuplicateTapPort"
        /// A `troxileia.io/…` annotation is malformed and ignored. Warning.
        case invalidAnnotation = "InvalidAnnotation"
        /// The node's sensor or port label cannot be used (it slipped past the webhook: set before
        /// install, or by kubelet's own CREATE, which the webhook only warns about). Warning.
        case invalidSensorLabels = "InvalidSensorLabels"
        /// The tap has no such port: the push left the node out and went on with the rest (issue 15). Warning.
        case tapPortUnknown = "TapPortUnknown"
        /// The tap has the port but it cannot be a sensor port (source port group, outside --tool-ports,
        /// a GigaSMART engine port); the push left the node out (issue 15). Warning.
        case tapPortRefused = "TapPortRefused"
    }

    /// The Node's name.
    public let node: String
    /// The Node's UID (empty when unknown).
    public let nodeUID: String
    /// Normal or Warning.
    public let type: EventType
    /// Why.
    public let reason: Reason
    /// The note: what happened and what a person can do.
    public let message: String

    /// Makes an event.
    public init(node: String, nodeUID: String = "", type: EventType, reason: Reason, message: String) {
        self.node = node
        self.nodeUID = nodeUID
        self.type = type
        self.reason = reason
        self.message = message
    }

    /// The Events for what changed between two computations, sorted by node name.
    ///
    /// `previous` is `nil` for the first computation after a start: the standing problems are then
    /// reported once (a new replica or leader says what it sees), and nothing counts as restored.
    /// Rules: `SensorExcluded` when an exclusion cause (annotation, pod health) is present that was
    /// not before; `SensorRestored` when a node left out by a cause, or by a duplicate, is pushed again;
    /// `DuplicateTapPort` when a node's port becomes contested or its other claimants change;
    /// `InvalidAnnotation` for each annotation problem not reported before. A node that stops being a
    /// sensor by its labels gets nothing: that change was a person's own.
    public static func transitions(from previous: DesiredState?, to current: DesiredState) -> [NodeEvent] {
        current.nodes.keys.sorted().flatMap { name in
            current.nodes[name].map { transitions(of: $0, before: previous?.nodes[name]) } ?? []
        }
    }

    /// The Events for one node's change of standing, by the rules of `transitions(from:to:)`;
    /// `before` is `nil` when the node was not there, or after a start (nothing counts as restored).
    /// An unchanged standing gives none, so the incremental reconciler asks only about the nodes
    /// whose standing changed (issue 18).
    public static func transitions(of node: DesiredState.Node, before: DesiredState.Node?) -> [NodeEvent] {
        var events: [NodeEvent] = []
        let name = node.name
        let causes = Set(node.exclusions.map(Cause.init))
        let causesBefore = Set(before?.exclusions.map(Cause.init) ?? [])
        if !causes.isSubset(of: causesBefore) {
            events.append(excluded(node, podCaused: causes.contains(.podHealth)))
        }
        if let before, node.isPushed, !before.isPushed, !before.exclusions.isEmpty || before.isContested {
            events.append(restored(node, before: before))
        }
        if let conflict = node.conflict, conflict != before?.conflict {
            events.append(duplicate(node, conflict))
        }
        if let problem = labelProblem(node.omission), labelProblem(before?.omission) != problem {
            events.append(NodeEvent(node: name, nodeUID: node.uid, type: .warning, reason: .invalidSensorLabels,
                                    message: problem))
        }
        for problem in node.annotationProblems where !(before?.annotationProblems.contains(problem) ?? false) {
            events.append(NodeEvent(node: name, nodeUID: node.uid, type: .warning, reason: .invalidAnnotation,
                                    message: problem + "; fix or remove it"))
        }
        return events
    }

    /// What is wrong with a node's labels and what follows, for `InvalidSensorLabels`; `nil` for any other omission.
    private static func labelProblem(_ omission: SensorSet.Omission?) -> String? {
        omission.flatMap(DesiredState.Node.labelProblem)
            .map { $0 + "; the node gets no tap traffic until it is fixed (troxileia validate explains the rules)" }
    }

    /// An exclusion cause without its detail, for comparing two states.
    private enum Cause: Hashable {
        case annotation, podHealth

        init(_ exclusion: DesiredState.Node.Exclusion) {
            switch exclusion {
            case .annotation: self = .annotation
            case .podHealth: self = .podHealth
            }
        }
    }

    private static func portText(_ node: DesiredState.Node) -> String {
        node.port.map { "tap port \($0.cliName)" } ?? "its tap port"
    }

    private static func excluded(_ node: DesiredState.Node, podCaused: Bool) -> NodeEvent {
        let causes = node.exclusions.map { exclusion in
            switch exclusion {
            case .annotation: exclusion.summary + "; remove it to restore the node"
            case .podHealth: "sensor " + exclusion.summary + "; the node returns when its sensor pods are Ready"
            }
        }
        return NodeEvent(node: node.name, nodeUID: node.uid, type: podCaused ? .warning : .normal, reason: .sensorExcluded,
                         message: "\(portText(node)) left out of the GigaStream: " + causes.joined(separator: "; "))
    }

    private static func restored(_ node: DesiredState.Node, before: DesiredState.Node) -> NodeEvent {
        var why: [String] = []
        for exclusion in before.exclusions {
            switch exclusion {
            case .annotation: why.append("annotation \(NodeOverrides.Key.exclude) removed")
            case .podHealth: why.append("sensor pods Ready again")
            }
        }
        if !before.otherClaimants.isEmpty {
            why.append("no longer also labelled on " + before.otherClaimants.joined(separator: ", "))
        }
        return NodeEvent(node: node.name, nodeUID: node.uid, type: .normal, reason: .sensorRestored,
                         message: "\(portText(node)) back in the GigaStream: " + why.joined(separator: "; "))
    }

    private static func duplicate(_ node: DesiredState.Node, _ conflict: PortConflict) -> NodeEvent {
        let others = node.otherClaimants
        let nodes = others.count == 1 ? "node \(others[0])" : "nodes " + others.joined(separator: ", ")
        return NodeEvent(node: node.name, nodeUID: node.uid, type: .warning, reason: .duplicateTapPort,
                         message: "tap port \(conflict.port.cliName) is also labelled on \(nodes); no node with this "
                             + "port is in the GigaStream until one port label is corrected")
    }
}
