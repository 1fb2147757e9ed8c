import GigaVUE
import TroxileiaCore

/// What the leader publishes in the status ConfigMap `troxileia-status` of the release namespace
/// (DESIGN.md "Shared contracts": desired, applied, leader, last push, last error), and what
/// `troxileia status` and `troxileia plan` read back. Every value is a string of the ConfigMap's `data`.
public struct ReconcilerStatus: Hashable, Sendable {
    /// The ConfigMap's name.
    public static let configMapName = "troxileia-status"

    /// Ports that should receive traffic (CLI form, comma-separated, ranges).
    public var desired: [TapPort] = []
    /// Ports the tap was last read or pushed with; `nil` while unknown.
    public var applied: [TapPort]?
    /// Nodes left out and why, one `node: reason` per entry.
    public var excluded: [String] = []
    /// The Lease holder that wrote this.
    public var leader = ""
    /// When the last push attempt ended (RFC 3339), and how: `pushed`, `unchanged`, `held`, `failed`.
    public var lastPushAt: KubeTime?
    public var lastPushResult = ""
    /// The last failure's message (never a secret: `TapError` holds none); empty after a success.
    public var lastError = ""
    /// Desired ports the last push left out, one `node: tap port P left out: why` per entry (issue 15).
    public var rejected: [String] = []
    /// The tap's chassis ports as the leader last read them (`show port`); `nil` while unknown. The
    /// webhook warns about a label naming a port outside this list (issue 15).
    public var tapPorts: [TapPort]?

    /// An empty status.
    public init() {}

    /// The ConfigMap `data` map.
    public var data: [(String, String)] {
        [("desired", PortList.cliTextOrNone(desired)), ("applied", applied.map { PortList.cliTextOrNone($0) } ?? "unknown"),
         ("excluded", excluded.joined(separator: "\n")), ("leader", leader),
         ("lastPushAt", lastPushAt.map(\.description) ?? ""), ("lastPushResult", lastPushResult), ("lastError", lastError),
         ("rejected", rejected.joined(separator: "\n")), ("tapPorts", tapPorts.map { PortList.cliTextOrNone($0) } ?? "unknown")]
    }

    /// A status read back from a ConfigMap's `data` (lenient: an unreadable field stays empty).
    public init(data: [String: String]) {
        desired = data["desired"].flatMap { PortList.readOrNone($0) } ?? []
        applied = data["applied"].flatMap { PortList.readOrNone($0) }
        excluded = (data["excluded"] ?? "").split(separator: "\n").map(String.init)
        leader = data["leader"] ?? ""
        lastPushAt = data["lastPushAt"].flatMap(KubeTime.init)
        lastPushResult = data["lastPushResult"] ?? ""
        lastError = data["lastError"] ?? ""
        rejected = (data["rejected"] ?? "").split(separator: "\n").map(String.init)
        tapPorts = data["tapPorts"].flatMap { PortList.readOrNone($0) }
    }
}

extension PortList {
    /// `none` for no ports, else the CLI list.
    static func cliTextOrNone(_ ports: [TapPort]) -> String { ports.isEmpty ? "none" : cliText(ports) }

    /// Reads what `cliTextOrNone` wrote; `nil` for anything else (`unknown`, garbage).
    static func readOrNone(_ text: String) -> [TapPort]? {
        text == "none" ? [] : try? PortList.parse(text, limit: ToolPortSet.maximumCount)
    }
}
