import TroxileiaCore

/// When the single-flight push worker pushes, as a pure state machine (STYLE.md "State machines are
/// structs"): events with the monotonic clock in, one action out. No timer, no task, no I/O.
///
/// Rules and their sources:
/// - Nothing before the stores are synced, and only while leader (DESIGN.md "Safety", issue 6
///   "Leader election"). Becoming active (synced and leader) makes an `.initial` push due at once: the
///   caller reads the tap and pushes only when it differs, so a restart touches nothing (issue 6).
/// - Debounce (DESIGN.md "Debounce"): a change is pushed after `debounce` without further change,
///   but never later than `debounceMax` after the first change of the burst, so a steady trickle
///   still pushes. A push takes the latest desired set, so a burst becomes one push.
/// - Single flight (issue 6): never a second `.startPush` before `pushFinished`; changes during a
///   push make exactly one more push after it (debounced from those changes).
/// - Failure: the whole plan again after `retry` backoff (1 s doubling to 5 min, jittered; issue 6);
///   changes meanwhile join that retry rather than hasten it, so a failing tap is not hammered.
///   Success resets the backoff.
/// - Drift repair: `resyncInterval` ± `resyncJitter` after the last successful push a `.resync` push
///   is due (issue 6 "Drift repair"); the caller reads the tap and pushes only when it differs.
/// - Losing leadership drops all pending work and asks the caller to abandon a push in flight
///   (`.abandonPush`); the machine still waits for that push's `pushFinished` before it starts
///   another, so two pushes never overlap even when leadership comes straight back.
public struct PushScheduler: Sendable {
    /// Timing; each default is DESIGN.md's "Configuration" table.
    public struct Configuration: Sendable, Equatable {
        /// `--debounce`, 1 s: quiet time after the last change before pushing.
        public var debounce: Duration = .seconds(1)
        /// `--debounce-max`, 10 s: the longest a change waits, counted from the first change of a burst.
        public var debounceMax: Duration = .seconds(10)
        /// `--resync-interval`, 5 min: how often the tap is checked for drift.
        public var resyncInterval: Duration = .seconds(300)
        /// Each resync interval is stretched or shrunk by up to this fraction (0.1: ±10 %), so replicas
        /// restarted together do not read the tap in step.
        public var resyncJitter = 0.1
        /// Retry delays: 1 s doubling to 5 min (issue 6), each stretched by up to 10 % jitter and then
        /// capped at `maximum`; success resets them (explicitly, so `resetAfter` is a year: never by time).
        public var retry: Backoff.Configuration = {
            var retry = Backoff.Configuration()
            retry.initial = .seconds(1)
            retry.maximum = .seconds(300)
            retry.factor = 2
            retry.jitter = 0.1
            retry.resetAfter = .seconds(365 * 86_400)
            return retry
        }()

        /// The defaults.
        public init() {}
    }

    /// Why a push starts (the `reason` of logs and metrics).
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The first check after becoming synced and leader.
        case initial
        /// The desired set changed (debounced).
        case change
        /// The previous push failed.
        case retry
        /// The periodic drift check.
        case resync
    }

    /// How a push ended. A check that found the tap already right is `.succeeded`.
    public enum Outcome: Sendable, Hashable {
        /// The tap holds the desired set (pushed and verified, or already equal).
        case succeeded
        /// The push or its verification failed; the whole plan is retried after the backoff.
        case failed
    }

    /// What the caller does now. Each answer replaces the previous one: a `.wake` re-arms the one timer.
    public enum Action: Sendable, Hashable {
        /// Read the tap and push the LATEST desired set if it differs; report with `pushFinished`.
        case startPush(Reason)
        /// Call `timerFired(now:)` at this instant (a stale timer firing early is harmless).
        case wake(at: ContinuousClock.Instant)
        /// Leadership is lost: abandon the push in flight, then still report `pushFinished`.
        case abandonPush
        /// Nothing until the next event.
        case idle
    }

    /// The timing in force.
    public let configuration: Configuration
    private var isSynced = false
    private var isLeader = false
    private var flight: Flight?
    private var initialDue = false
    private var burst: Burst?
    private var retryAt: ContinuousClock.Instant?
    private var resyncAt: ContinuousClock.Instant?
    private var backoff: Backoff

    private enum Flight: Sendable { case running, abandoned }

    private struct Burst: Sendable {
        var first: ContinuousClock.Instant
        var last: ContinuousClock.Instant
    }

    /// A machine that is neither synced nor leader.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.backoff = Backoff(configuration: configuration.retry)
    }

    /// Whether pushes may happen: the stores are synced and we lead.
    public var isActive: Bool { isSynced && isLeader }

    /// Whether a push (possibly abandoned) has started and not yet finished.
    public var isPushing: Bool { flight != nil }

    /// The stores finished their first list. Idempotent.
    public mutating func storesSynced(now: ContinuousClock.Instant) -> Action {
        let wasActive = isActive
        isSynced = true
        return activityChanged(wasActive: wasActive, now: now)
    }

    /// Leadership was gained or lost (pass the current value; repeats are harmless).
    public mutating func leadershipChanged(isLeader: Bool, now: ContinuousClock.Instant) -> Action {
        let wasActive = isActive
        self.isLeader = isLeader
        return activityChanged(wasActive: wasActive, now: now)
    }

    /// The desired set changed. Ignored while inactive: becoming active checks everything anyway.
    public mutating func desiredChanged(now: ContinuousClock.Instant) -> Action {
        guard isActive else { return .idle }
        burst = Burst(first: burst?.first ?? now, last: now)
        return decide(now: now)
    }

    /// The push started by the last `.startPush` ended (or its abandonment completed).
    /// - Parameter jitter: a value in 0..<1 drawing the retry or resync jitter (`Double.random(in: 0..<1)`;
    ///   tests pass fixed values).
    public mutating func pushFinished(_ outcome: Outcome, now: ContinuousClock.Instant, jitter: Double) -> Action {
        guard let finished = flight else { return decide(now: now) }
        flight = nil
        guard finished == .running else { return decide(now: now) }
        switch outcome {
        case .succeeded:
            backoff.reset()
            let unit = min(max(jitter, 0), 1) * 2 - 1
            resyncAt = now + configuration.resyncInterval * (1 + configuration.resyncJitter * unit)
        case .failed:
            retryAt = now + min(backoff.nextDelay(now: now, unit: jitter), configuration.retry.maximum)
        }
        return decide(now: now)
    }

    /// The timer armed by a `.wake` fired.
    public mutating func timerFired(now: ContinuousClock.Instant) -> Action { decide(now: now) }

    private mutating func activityChanged(wasActive: Bool, now: ContinuousClock.Instant) -> Action {
        if isActive, !wasActive {
            initialDue = true
        } else if !isActive, wasActive {
            initialDue = false
            burst = nil
            retryAt = nil
            resyncAt = nil
            backoff.reset()
            if flight == .running {
                flight = .abandoned
                return .abandonPush
            }
        }
        return decide(now: now)
    }

    private mutating func decide(now: ContinuousClock.Instant) -> Action {
        guard isActive, flight == nil else { return .idle }
        if initialDue { return start(.initial) }
        let burstDue = burst.map { min($0.last + configuration.debounce, $0.first + configuration.debounceMax) }
        let due: ContinuousClock.Instant
        let reason: Reason
        if let retryAt {
            (due, reason) = (max(retryAt, burstDue ?? retryAt), .retry)
        } else if let burstDue {
            (due, reason) = (burstDue, .change)
        } else if let resyncAt {
            (due, reason) = (resyncAt, .resync)
        } else {
            return .idle
        }
        return due <= now ? start(reason) : .wake(at: due)
    }

    private mutating func start(_ reason: Reason) -> Action {
        flight = .running
        initialDue = false
        burst = nil
        retryAt = nil
        resyncAt = nil
        return .startPush(reason)
    }
}
