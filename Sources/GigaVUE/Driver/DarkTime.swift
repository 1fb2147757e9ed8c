import TroxileiaCore

/// The driver's own estimate of dark time (issue 15): replays the session's configuration lines, each
/// at the instant the device answered it, over a model of our map and GigaStream, and adds up for
/// each watched port the time during which the source group's traffic did not reach it. Pure.
public struct DarkTime: Sendable {
    /// One configuration line as the session saw it.
    public struct Step: Sendable {
        /// The line.
        public let command: TapCommand
        /// When the device's answer came.
        public let answeredAt: ContinuousClock.Instant
        /// Whether the device took it (no `%`).
        public let accepted: Bool

        /// A step.
        public init(command: TapCommand, answeredAt: ContinuousClock.Instant, accepted: Bool) {
            self.command = command
            self.answeredAt = answeredAt
            self.accepted = accepted
        }
    }

    private var map: ManagedConfiguration.Map?
    private var stream: [TapPort]?
    private var editing: ManagedConfiguration.Map?
    private let mapAlias: String
    private let streamAlias: String
    private let sourceGroup: String

    /// A model starting from the device as read.
    public init(start: ManagedConfiguration, configuration: TapPlan.Configuration) {
        map = start.map
        stream = start.gigastream?.ports
        mapAlias = configuration.mapAlias.value
        streamAlias = configuration.gigastreamAlias.value
        sourceGroup = configuration.sourcePortGroup.value
    }

    /// The ports the model's map sends the source group's traffic to.
    var reached: Set<TapPort> {
        guard let map, map.from == .alias(sourceGroup) else { return [] }
        switch map.to {
        case .ports(let ports)?: return Set(ports)
        case .alias(let alias)? where alias == streamAlias: return Set(stream ?? [])
        default: return []
        }
    }

    /// Applies one accepted line to the model.
    mutating func apply(_ effect: TapCommand.Effect) {
        switch effect {
        case .none: break
        case .deleteMap: map = nil
        case .deleteGigaStream: stream = nil
        case .setGigaStream(let ports): stream = ports
        case .enterMap: editing = map ?? ManagedConfiguration.Map(alias: mapAlias, from: nil, to: nil)
        case .from(let alias): editing?.from = .alias(alias)
        case .to(let endpoint): editing?.to = endpoint
        case .exit:
            if let edited = editing, edited.from != nil, edited.to != nil { map = edited }
            editing = nil
        }
    }

    /// For each of `watched`, the time without traffic between `start` and the last step.
    public static func estimate(watched: some Sequence<TapPort>, start: ManagedConfiguration,
                                configuration: TapPlan.Configuration, startedAt: ContinuousClock.Instant,
                                steps: [Step]) -> [TapPort: Duration] {
        var model = DarkTime(start: start, configuration: configuration)
        var dark = Dictionary(uniqueKeysWithValues: watched.map { ($0, Duration.zero) })
        var since = startedAt
        for step in steps {
            let reached = model.reached
            for port in dark.keys where !reached.contains(port) {
                dark[port, default: .zero] += since.duration(to: step.answeredAt)
            }
            since = step.answeredAt
            if step.accepted { model.apply(step.command.effect) }
        }
        return dark
    }
}
