import TroxileiaCore

/// `show running-config` read for what we manage (gigavue-cli.md "Reading the device's state").
///
/// Parsing is lenient and never fails: unknown lines and other objects are ignored; CRLF, bare CR
/// and surrounding spaces are tolerated; port lists may use ranges. Text that concerns our objects
/// but cannot be read becomes a `warning`, and the object keeps a trace of it so it never equals
/// what a plan makes (the push repairs it).
public struct RunningConfig: Sendable {
    /// Our map and GigaStream as found.
    public let managed: ManagedConfiguration
    /// The ports of the source port group (`port-group alias GROUP port-list LIST`, one-line or
    /// sub-mode form), `nil` when the text does not show it. None of them may become a sensor port
    /// (`TapPlan`'s `sourcePorts`).
    public let sourceGroupPorts: [TapPort]?
    /// What could not be read, in line order.
    public let warnings: [RunningConfigWarning]

    /// The most ports one port list may expand to. Well above any chassis (`ToolPortSet.maximumCount`),
    /// so only a corrupt list hits it.
    static let portLimit = ToolPortSet.maximumCount

    /// Reads `text` for the map and GigaStream named in `configuration`.
    ///
    /// Recognised (everything else is ignored):
    /// - `map-passall alias M` … `exit`: `from X`, `to X`; any other line is foreign. A map of another
    ///   kind (`map alias M`) with our alias is reported as our map with its header as a foreign line,
    ///   so it is never replaced silently.
    /// - `gigastream alias G port-list LIST`, or `gigastream alias G` then `port-list LIST` then `exit`.
    /// - `port LIST type T`, for `portTypes`.
    /// - `port-group alias GROUP port-list LIST` (or its sub-mode form), for `sourceGroupPorts`.
    /// A block missing its `exit` ends at the next line opening another object (`map…`, `gigastream`,
    /// `port-group`, `port`), with a warning.
    public init(parsing text: String, configuration: TapPlan.Configuration) {
        var parser = RunningConfigParser(mapAlias: configuration.mapAlias.value,
                                         gigastreamAlias: configuration.gigastreamAlias.value,
                                         sourcePortGroup: configuration.sourcePortGroup.value)
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            parser.read(line, number: index + 1)
        }
        parser.finish()
        var managed = ManagedConfiguration(map: parser.map, gigastream: parser.gigastream)
        let sensors = Set(managed.sensorPorts())
        managed.portTypes = parser.portTypes.filter { sensors.contains($0.key) }
        self.managed = managed
        self.sourceGroupPorts = parser.sourceGroupPorts
        self.warnings = parser.warnings
    }
}

/// A line of `show running-config` about our objects that could not be fully read.
public struct RunningConfigWarning: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number in the text read.
    public let line: Int
    /// What was wrong.
    public let problem: String

    /// "running-config line N: problem".
    public var description: String { "running-config line \(line): \(problem)" }
}
