import Reconciler
import Testing

/// Plays the caller of `PushScheduler` on a test clock: keeps its one timer, runs each push for
/// `pushDuration` and reports the next scripted outcome, and records what started when. Never sleeps.
struct SchedulerDriver {
    /// A push as started, with the offset from the start of the test.
    struct Push: Equatable, CustomStringConvertible {
        var at: Duration
        var reason: PushScheduler.Reason
        var description: String { "\(reason)@\(at)" }
    }

    let start = ContinuousClock.now
    var machine: PushScheduler
    var clock: Duration = .zero
    var pushDuration: Duration
    /// Outcomes for the next pushes, in order; afterwards every push succeeds.
    var outcomes: [PushScheduler.Outcome] = []
    /// The unit passed as jitter to `pushFinished`.
    var jitter = 0.5
    private(set) var timer: Duration?
    private(set) var finishesAt: Duration?
    private(set) var pushes: [Push] = []
    private(set) var abandoned = 0

    init(_ configuration: PushScheduler.Configuration = .init(), pushDuration: Duration = .milliseconds(200)) {
        machine = PushScheduler(configuration: configuration)
        self.pushDuration = pushDuration
    }

    var now: ContinuousClock.Instant { start + clock }

    /// Synced and leader: the initial push starts (and is left running).
    mutating func activate() {
        handle(machine.storesSynced(now: now))
        handle(machine.leadershipChanged(isLeader: true, now: now))
    }

    mutating func change() { handle(machine.desiredChanged(now: now)) }

    mutating func lead(_ isLeader: Bool) { handle(machine.leadershipChanged(isLeader: isLeader, now: now)) }

    mutating func sync() { handle(machine.storesSynced(now: now)) }

    /// Moves the clock to `target`, firing the timer and finishing pushes on the way, in time order.
    mutating func advance(to target: Duration) {
        while true {
            let next = [timer, finishesAt].compactMap { $0 }.min()
            guard let next, next <= target else { break }
            clock = max(clock, next)
            if finishesAt == next {
                finishesAt = nil
                let outcome = outcomes.isEmpty ? .succeeded : outcomes.removeFirst()
                handle(machine.pushFinished(outcome, now: now, jitter: jitter))
            } else {
                timer = nil
                handle(machine.timerFired(now: now))
            }
        }
        clock = max(clock, target)
    }

    mutating func advance(by step: Duration) { advance(to: clock + step) }

    private mutating func handle(_ action: PushScheduler.Action) {
        switch action {
        case .startPush(let reason):
            if finishesAt != nil { Issue.record("a second push started at \(clock) while one was running") }
            pushes.append(Push(at: clock, reason: reason))
            finishesAt = clock + pushDuration
        case .wake(let instant):
            if instant <= now { Issue.record("a wake-up at or before now at \(clock)") }
            timer = start.duration(to: instant)
        case .abandonPush:
            abandoned += 1
        case .idle:
            break
        }
    }
}
