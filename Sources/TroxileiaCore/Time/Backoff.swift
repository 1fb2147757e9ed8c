/// Exponential backoff with jitter, reset after a healthy period: client-go's reflector
/// defaults (0.8 s doubling to 30 s, jitter 1.0, reset after 2 minutes without failure), so a
/// flapping API server is not hammered and a recovered one is resumed at once.
public struct Backoff: Sendable {
    /// Delays and the healthy period; each default is client-go's.
    public struct Configuration: Sendable, Equatable {
        public var initial: Duration = .milliseconds(800)
        public var maximum: Duration = .seconds(30)
        public var factor: Double = 2
        /// Each delay is stretched by a random share up to this fraction of itself.
        public var jitter: Double = 1.0
        /// A failure this long after the previous one starts again from `initial`.
        public var resetAfter: Duration = .seconds(120)

        public init() {}
    }

    public let configuration: Configuration
    private var current: Duration?
    private var lastFailure: ContinuousClock.Instant?

    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// The delay before the next attempt after a failure at `now`; `unit` in 0..<1 draws the jitter
    /// (pass `Double.random(in: 0..<1)`; tests pass fixed values).
    public mutating func nextDelay(now: ContinuousClock.Instant, unit: Double) -> Duration {
        if let lastFailure, now - lastFailure > configuration.resetAfter { current = nil }
        lastFailure = now
        let base: Duration
        if let current {
            base = min(current * configuration.factor, configuration.maximum)
        } else {
            base = configuration.initial
        }
        current = base
        return base + base * (configuration.jitter * min(max(unit, 0), 1))
    }

    /// Forgets past failures (after a success that proves health, e.g. a completed list).
    public mutating func reset() {
        current = nil
        lastFailure = nil
    }
}
