import TroxileiaCore

/// The pure decisions of a push: what to send for a desired set given what the device shows, and
/// whether the device shows it afterwards. No I/O, so every rule is table-tested without a session.
public struct TapPolicy: Hashable, Sendable {
    /// Aliases and switches of the plan.
    public var plan: TapPlan.Configuration
    /// `--tool-ports`; `nil` allows every port.
    public var allowedToolPorts: ToolPortSet?
    /// `--adopt-existing-map`: replace our map even when it holds lines we don't write.
    public var adoptExistingMap: Bool
    /// `--tap-update-strategy`, default `auto`.
    public var updateStrategy: TapUpdateStrategy

    /// A policy; by default every port is allowed, foreign map lines are protected and updates are `auto`.
    public init(plan: TapPlan.Configuration = TapPlan.Configuration(), allowedToolPorts: ToolPortSet? = nil,
                adoptExistingMap: Bool = false, updateStrategy: TapUpdateStrategy = .auto) {
        self.plan = plan
        self.allowedToolPorts = allowedToolPorts
        self.adoptExistingMap = adoptExistingMap
        self.updateStrategy = updateStrategy
    }

    /// The plan to run for `desired`, or `nil` when the device already matches it.
    ///
    /// Order: the plan's port checks first (a refused port fails even when the device happens to match),
    /// then the comparison of the whole managed structure, then the foreign-line guard.
    /// - Throws: `.portsInSourceGroup`, `.portsNotAllowed`, `.foreignMapLines`.
    public func plan(for desired: [TapPort], reading: TapReading) throws(TapError) -> TapPlan? {
        let plan = try TapPlan(ports: desired, configuration: self.plan, allowedToolPorts: allowedToolPorts,
                               sourcePorts: Set(reading.sourceGroupPorts ?? []))
        if reading.configuration.matches(plan.ports, configuration: self.plan) { return nil }
        if let map = reading.configuration.map, map.hasForeignLines, !adoptExistingMap {
            throw .foreignMapLines(map: map.alias, lines: map.foreignLines)
        }
        return plan
    }

    /// Checks the device after a push.
    /// - Throws: `.verificationFailed` naming what the device sends to and what differs.
    public func verify(_ plan: TapPlan, reading: TapReading) throws(TapError) {
        guard !reading.configuration.matches(plan.ports, configuration: self.plan) else { return }
        let expected = ManagedConfiguration.expected(for: plan.ports, configuration: self.plan)
        var differences: [String] = []
        if reading.configuration.map != expected.map { differences.append("map \(self.plan.mapAlias) differs") }
        if reading.configuration.gigastream != expected.gigastream {
            differences.append("GigaStream \(self.plan.gigastreamAlias) differs")
        }
        if differences.isEmpty { differences.append("a sensor port is not of type tool") }
        throw .verificationFailed(expected: plan.ports, actual: reading.sensorPorts,
                                  detail: differences.joined(separator: ", "))
    }
}
