/// When a listener accepts, as a value: `accept` failing for want of resources (EMFILE, ENFILE,
/// ENOBUFS, ENOMEM) takes the listener out of the loop for `pause`, instead of letting the
/// level-triggered listener wake the loop again at once and spin (swift-nio's
/// `AcceptBackoffHandler` waits 1 s the same way). It comes back by itself at the first tick after
/// the pause. The time is passed in. (Logging once per episode is the listener's: an episode spans
/// every loop that accepts on it, `ListenerRuntime`.)
struct AcceptBackoff {
    /// Whether the listener is watched.
    enum State: Equatable {
        /// Watched.
        case accepting
        /// Out of the loop until `until`.
        case paused(until: ContinuousClock.Instant)
    }

    /// What the acceptor must do.
    enum Action: Equatable {
        /// Stop watching the listener.
        case pause
        /// Watch the listener again.
        case resume
    }

    /// How long the listener stays out of the loop (default 1 s, as swift-nio).
    let pause: Duration
    private(set) var state = State.accepting

    /// A listener being watched.
    init(pause: Duration = .seconds(1)) { self.pause = pause }

    /// `accept` failed with `code` at `now`. Every failure pauses: besides the resource errors,
    /// an unexpected one would otherwise wake the loop again at once just the same.
    mutating func acceptFailed(code: Int32, now: ContinuousClock.Instant) -> Action? {
        guard state == .accepting else { return nil }
        state = .paused(until: now + pause)
        return .pause
    }

    /// The loop's periodic check at `now`.
    mutating func tick(now: ContinuousClock.Instant) -> Action? {
        guard case .paused(let until) = state, now >= until else { return nil }
        state = .accepting
        return .resume
    }
}
