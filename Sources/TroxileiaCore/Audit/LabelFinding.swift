/// One thing wrong (or worth knowing) about a node's contract labels.
///
/// The same findings drive `troxileia validate`, `doctor`, the webhook's denials and warnings,
/// and the reconciler's Events, so a person reads the same words everywhere.
public struct LabelFinding: Hashable, Sendable {
    /// How bad it is: an error keeps the node's port off the tap.
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    /// What kind of finding, a stable machine-readable name.
    public enum Kind: String, Sendable {
        case invalidTapPort = "InvalidTapPort"
        case invalidSensorValue = "InvalidSensorValue"
        case duplicateTapPort = "DuplicateTapPort"
        case sensorWithoutPort = "SensorWithoutPort"
        case sensorWithInvalidPort = "SensorWithInvalidPort"
        case sensorPortMoves = "SensorPortMoves"
        case sensorPortRemoved = "SensorPortRemoved"
        case skippedItem = "SkippedItem"
    }

    /// The node's name.
    public var node: String
    /// The label key concerned; `nil` for findings about the whole item.
    public var label: String?
    /// The label's value; `nil` when absent.
    public var value: String?
    /// Error or warning.
    public var severity: Severity
    /// What kind of finding.
    public var kind: Kind
    /// What is wrong, one clause.
    public var problem: String
    /// What to do about it.
    public var hint: String
    /// Other nodes involved (the other holders of a duplicate port), sorted.
    public var related: [String]

    public init(node: String, label: String?, value: String?, severity: Severity, kind: Kind,
                problem: String, hint: String, related: [String] = []) {
        self.node = node
        self.label = label
        self.value = value
        self.severity = severity
        self.kind = kind
        self.problem = problem
        self.hint = hint
        self.related = related
    }

    /// `node NAME: problem; hint`: one line a person can act on.
    public var message: String { "node \(node): \(problem); \(hint)" }
}
