import TroxileiaCore

/// Why a plan was refused before any command was built (DESIGN.md "Safety": a port outside
/// `--tool-ports` or in the source port group is never pushed).
public enum TapPlanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// These ports belong to the source port group: making them tool ports would cut the network
    /// traffic the map reads. Ports sorted.
    case portsInSourceGroup([TapPort], group: AliasName)
    /// These ports are outside `--tool-ports`. Ports sorted.
    case portsNotAllowed([TapPort], allowed: ToolPortSet)

    /// The ports refused.
    public var ports: [TapPort] {
        switch self {
        case .portsInSourceGroup(let ports, _), .portsNotAllowed(let ports, _): ports
        }
    }

    /// "failed to plan …: <cause>; <what to do>", naming every refused port.
    public var description: String {
        let list = ports.map(\.cliName).joined(separator: ", ")
        return switch self {
        case .portsInSourceGroup(_, let group):
            "failed to plan the tap configuration: port(s) \(list) belong to the source port group \(group.value), "
                + "which carries the network traffic; fix the port label of the node(s) cabled to them"
        case .portsNotAllowed(_, let allowed):
            "failed to plan the tap configuration: port(s) \(list) are outside --tool-ports (\(allowed.count) allowed); "
                + "fix the node's port label or extend --tool-ports"
        }
    }
}
