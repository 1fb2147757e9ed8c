import TroxileiaCore

/// The tap ports Troxileia may send traffic to: `--tool-ports` (DESIGN.md configuration table),
/// e.g. `1/1/x1..x24,1/2/q1..q4,2/1/c1x1..c1x4`.
///
/// A port outside this set is refused before any command is sent (issue 5, "Configuration"), so a
/// mislabelled node can never turn a network port into a tool port. Without `--tool-ports` there is
/// no set and every port is allowed (`TapPlan` takes `ToolPortSet?`).
public struct ToolPortSet: Hashable, Sendable, CustomStringConvertible {
    /// The most ports a set may hold. A GigaVUE cluster has at most a few thousand ports; the cap
    /// stops a typo such as a huge breakout list from building an enormous set.
    public static let maximumCount = 10_000

    /// The allowed ports.
    public let ports: Set<TapPort>

    /// Parses the `--tool-ports` value: ports and ranges, comma-separated, in CLI form (`1/1/x1..x24`)
    /// or label form (`1_1_x1..x24`); surrounding spaces are ignored.
    /// - Throws: `TapError.invalidPortList` naming the bad element: an invalid port (with the port grammar's
    ///   own message), a range that ends before it starts or spans boxes, slots or letters, an
    ///   empty element, or more than `maximumCount` ports.
    public init(parsing text: String) throws(TapError) {
        let trimmed = text.filter { !$0.isWhitespace }
        ports = Set(try PortList.parse(trimmed, limit: Self.maximumCount))
    }

    /// Makes a set of exactly `ports` (tests, configuration built in code).
    public init(_ ports: some Sequence<TapPort>) {
        self.ports = Set(ports)
    }

    /// Whether `port` is allowed.
    public func contains(_ port: TapPort) -> Bool { ports.contains(port) }

    /// How many ports are allowed.
    public var count: Int { ports.count }

    /// The ports as a sorted CLI list (ranges expanded), for logs and messages.
    public var description: String { PortList.cliText(ports) }
}
