import TroxileiaCore

/// Reads and sets the tap's sensor ports (DESIGN.md "Modules", GigaVUE). The reconciler depends on
/// this protocol only; `SSHTapDriver` talks to a device, `DryRunTapDriver` changes nothing.
///
/// Both methods may be cancelled: the session is closed cleanly and `.cancelled` is thrown. Once
/// `apply` has started its plan, the plan and its read-back run to their end and `apply` returns what
/// the tap went through (`.applied` when it completed), cancelled or not (issue 13).
public protocol TapDriver: Sendable {
    /// What the tap sends traffic to now, from `show running-config` (read-only).
    func currentSensorPorts() async throws(TapError) -> TapReading

    /// Makes the tap send the source port group's traffic to exactly `ports`. Idempotent: when the
    /// device already matches, nothing is changed and the outcome is `.unchanged`.
    func apply(_ ports: [TapPort]) async throws(TapError) -> TapPushResult
}

/// The tap's state as read.
public struct TapReading: Hashable, Sendable {
    /// Our map and GigaStream as found.
    public var configuration: ManagedConfiguration
    /// The ports of the source port group, `nil` when the device shows none.
    public var sourceGroupPorts: [TapPort]?
    /// Lines about our objects that could not be read.
    public var warnings: [RunningConfigWarning]
    /// The chassis ports and types from `show port`; `nil` when not read or the device shows no table.
    public var portListing: PortListing?
    /// The session that read it (empty for a dry run without a device).
    public var transcript: DialogTranscript

    /// A reading.
    public init(configuration: ManagedConfiguration, sourceGroupPorts: [TapPort]?,
                warnings: [RunningConfigWarning] = [], portListing: PortListing? = nil,
                transcript: DialogTranscript = DialogTranscript()) {
        self.configuration = configuration
        self.sourceGroupPorts = sourceGroupPorts
        self.warnings = warnings
        self.portListing = portListing
        self.transcript = transcript
    }

    /// The ports traffic goes to now.
    public var sensorPorts: [TapPort] { configuration.sensorPorts() }
}

/// What `apply` did.
public struct TapPushResult: Hashable, Sendable {
    /// Whether commands were sent.
    public enum Outcome: Hashable, Sendable {
        /// The device already matched: nothing was sent but the read.
        case unchanged
        /// The plan ran and the device was read back equal to it.
        case applied(TapPlan)
        /// Dry run: the plan that would have run; nothing was sent.
        case planned(TapPlan)
    }

    /// What happened.
    public var outcome: Outcome
    /// The sensor ports before.
    public var before: [TapPort]
    /// The sensor ports after (the desired set for `.applied` and `.unchanged`; `before` for `.planned`).
    public var after: [TapPort]
    /// `%` answers to `no …` deletions that were tolerated, as "command: device text".
    public var toleratedErrors: [String]
    /// The whole session (never a secret).
    public var transcript: DialogTranscript
    /// From the start of the connection to the end of the session.
    public var duration: Duration
    /// Desired ports left out because the tap cannot take them (issue 15), sorted by port.
    public var rejected: [TapPortRejection] = []
    /// The chassis ports as read in this session (`show port`), `nil` when unknown.
    public var chassisPorts: [TapPort]?
    /// The driver's estimate of how long each port in both `before` and `after` went without traffic
    /// during the session, from its command timeline (`DarkTime`); empty when nothing was sent.
    public var darkTime: [TapPort: Duration] = [:]
    /// Set when the device refused the in-place plan in this session (`%` answer or a read-back that
    /// did not match) and the rebuild plan finished the push: the device's answer.
    public var inPlaceRefusal: String?

    /// A result.
    public init(outcome: Outcome, before: [TapPort], after: [TapPort], toleratedErrors: [String] = [],
                transcript: DialogTranscript = DialogTranscript(), duration: Duration = .zero) {
        self.outcome = outcome
        self.before = before
        self.after = after
        self.toleratedErrors = toleratedErrors
        self.transcript = transcript
        self.duration = duration
    }

    /// The longest dark time among the ports that stayed in the set; `nil` when no port stayed or
    /// nothing was sent.
    public var longestDarkTime: Duration? { darkTime.values.max() }

    /// Whether the device was changed.
    public var changedDevice: Bool {
        if case .applied = outcome { return true }
        return false
    }
}
