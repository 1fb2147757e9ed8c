/// The instant by which a stage of a session must end, with the stage's name and budget for the
/// timeout error ("failed to <stage>: timed out after <budget>").
struct Deadline: Sendable {
    /// What is being waited for, as in "failed to <stage>".
    let stage: String
    /// When waiting ends.
    let instant: ContinuousClock.Instant
    /// The length the stage was given.
    let budget: Duration

    /// A deadline `budget` from now.
    init(_ stage: String, budget: Duration, now: ContinuousClock.Instant = .now) {
        self.stage = stage
        self.budget = budget
        self.instant = now + budget
    }

    private init(stage: String, instant: ContinuousClock.Instant, budget: Duration) {
        self.stage = stage
        self.instant = instant
        self.budget = budget
    }

    /// The earlier of this deadline and `other` (a stage inside the whole push): the error then names
    /// whichever ends first.
    func capped(by other: Deadline) -> Deadline {
        other.instant < instant ? other : self
    }

    /// The same instant under another stage name.
    func renamed(_ stage: String) -> Deadline {
        Deadline(stage: stage, instant: instant, budget: budget)
    }

    /// The timeout error for this deadline.
    var error: TapError { .timedOut(stage: stage, after: budget) }

    /// Milliseconds left for `poll(2)`, at least 0, rounded up so a wait never ends early.
    func remainingMilliseconds(now: ContinuousClock.Instant = .now) -> Int32 {
        let left = now.duration(to: instant)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
