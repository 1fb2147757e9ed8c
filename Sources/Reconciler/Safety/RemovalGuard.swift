import TroxileiaCore

/// DESIGN.md "Safety": the first push after a start that would remove more than
/// `--max-removal-fraction` of the tap's ports waits for `--allow-large-removal`; later pushes
/// follow the cluster. A rollout with a wrong label key or app list looks exactly like "no sensors",
/// and emptying the GigaStream would cut every sensor off at once.
///
/// "First push" (decision): the guard is armed from the start of the process until the tap and the
/// cluster have agreed once: a push went through, or a check found the tap already equal to the
/// desired set. The caller reports either with `confirmed()`. A held, failed or abandoned push leaves
/// it armed. Losing and regaining leadership within one process does not re-arm it (a replica that
/// becomes leader for the first time is its own start, so a takeover is guarded by the new leader).
/// Pure: no clock, no I/O.
public struct RemovalGuard: Hashable, Sendable {
    /// The two switches; defaults from DESIGN.md "Configuration".
    public struct Configuration: Hashable, Sendable {
        /// `--max-removal-fraction`, 0.5: the share of the tap's ports the first push may remove; a
        /// removal of exactly this share is allowed. Clamped into 0…1; NaN counts as 0 (hold any
        /// removal: the cautious reading of a value that says nothing).
        public var maxRemovalFraction: Double = 0.5
        /// `--allow-large-removal`, false: let the first push remove any share.
        public var allowLargeRemoval = false

        /// The defaults.
        public init(maxRemovalFraction: Double = 0.5, allowLargeRemoval: Bool = false) {
            self.maxRemovalFraction = maxRemovalFraction
            self.allowLargeRemoval = allowLargeRemoval
        }
    }

    /// A first push held back: what it would remove, for the Warning Event and the metric.
    public struct LargeRemoval: Hashable, Sendable {
        /// The tap ports the push would remove, sorted.
        public let removed: [TapPort]
        /// How many ports the tap's GigaStream holds now.
        public let tapPortCount: Int
        /// The fraction in force.
        public let maxRemovalFraction: Double

        /// For the Event note and the log: how many of how many, which, and what to do.
        public var message: String {
            let shown = removed.prefix(10).map(\.cliName).joined(separator: ", ") + (removed.count > 10 ? ", …" : "")
            let percent = Int((Double(removed.count) / Double(max(tapPortCount, 1)) * 100).rounded())
            return "the first push since start would remove \(removed.count) of the tap's \(tapPortCount) ports "
                + "(\(percent)% > --max-removal-fraction \(maxRemovalFraction)): \(shown); it waits: check the "
                + "sensor/port labels, --sensor-label/--port-label and --sensor-apps, or restart with "
                + "--allow-large-removal if the removal is meant"
        }
    }

    /// The verdict on a push.
    public enum Verdict: Hashable, Sendable {
        /// Push.
        case allow
        /// Do not push now; tell people why.
        case hold(LargeRemoval)
    }

    /// The switches in force.
    public let configuration: Configuration
    /// Whether the next push still counts as the first one.
    public private(set) var isArmed = true

    /// An armed guard (a process start).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Judges a push from `current` (the ports the tap's GigaStream holds now) to `desired`.
    /// Holds only while armed, without `allowLargeRemoval`, when the share of the tap's ports removed
    /// is strictly more than the fraction (an empty tap has nothing to remove). Adding ports is never limited.
    public func check(current: some Sequence<TapPort>, desired: some Sequence<TapPort>) -> Verdict {
        guard isArmed, !configuration.allowLargeRemoval else { return .allow }
        let tap = Set(current)
        let removed = tap.subtracting(desired).sorted()
        let fraction = configuration.maxRemovalFraction.isNaN ? 0 : min(max(configuration.maxRemovalFraction, 0), 1)
        // The margin keeps a removal of exactly the fraction allowed when the product rounds down (0.57 × 100).
        guard Double(removed.count) > fraction * Double(tap.count) + 1e-9 else { return .allow }
        return .hold(LargeRemoval(removed: removed, tapPortCount: tap.count, maxRemovalFraction: configuration.maxRemovalFraction))
    }

    /// The tap and the cluster agreed (a push succeeded, or the tap already matched): later pushes
    /// follow the cluster.
    public mutating func confirmed() { isArmed = false }
}
