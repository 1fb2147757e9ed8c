import TroxileiaCore

/// Per-node settings by annotation (DESIGN.md "Configuration", the idea of kube-vxlan-controller):
/// `troxileia.io/exclude: "true"` leaves a node out without touching its labels, and
/// `troxileia.io/pod-not-ready-timeout: "<duration>"` replaces `--pod-not-ready-timeout` for the pods
/// on that node. A malformed value is ignored (the default applies) and reported as a problem, which
/// the reconciler turns into a Warning Event on the node.
public struct NodeOverrides: Hashable, Sendable {
    /// The annotation keys.
    public enum Key {
        public static let exclude = "troxileia.io/exclude"
        public static let podNotReadyTimeout = "troxileia.io/pod-not-ready-timeout"
    }

    /// Whether the node is left out.
    public var excluded: Bool
    /// The node's own pod timeout, `nil` for the default.
    public var podNotReadyTimeout: Duration?
    /// Malformed annotations, one sentence each naming the key, the value and what is accepted.
    public var problems: [String]

    /// Reads the overrides from a node's annotations; never fails.
    public init(annotations: [String: String]) {
        var problems: [String] = []
        switch annotations[Key.exclude] {
        case nil, "false"?:
            excluded = false
        case "true"?:
            excluded = true
        case let value?:
            excluded = false
            problems.append("annotation \(Key.exclude)=\"\(Self.shown(value))\" is ignored: use \"true\" or \"false\"")
        }
        if let value = annotations[Key.podNotReadyTimeout] {
            podNotReadyTimeout = DurationText.parse(value)
            if podNotReadyTimeout == nil {
                problems.append("annotation \(Key.podNotReadyTimeout)=\"\(Self.shown(value))\" is ignored: "
                                + "use a duration such as 90s or 5m")
            }
        } else {
            podNotReadyTimeout = nil
        }
        self.problems = problems
    }

    /// An annotation value as quoted in a message: at most 64 characters, control characters dropped.
    private static func shown(_ value: String) -> String {
        let clean = value.unicodeScalars.filter { !$0.properties.isNoncharacterCodePoint && $0.value >= 0x20 && $0.value != 0x7F }
        let text = String(String.UnicodeScalarView(clean))
        return text.count > 64 ? String(text.prefix(64)) + "…" : text
    }
}
