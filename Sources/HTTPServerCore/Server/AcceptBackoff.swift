/// When a listener accepts, as a value: `accept` failing for want of resources (EMFILE, ENFILE,
/// ENOBUFS, ENOMEM) takes the listener out of the loop for `pause`, instead of letting the
/// level-triggered listener wake the loop again at once and spin (swift-nio's
/// `AcceptBackoffHandler` waits 1 s the same way). It comes back by itself at the first tick after
/// the pause; an accept that succeeds ends the episode. The time is passed in.
struct AcceptBackoff {
    /// Whether the listener is watched.
    enum State: Equatable {
        /// Watched; `inEpisode` while accepts failed and none succeeded since.
        case accepting(inEpisode: Bool)
        /// Out of the loop until `until`.
        case paused(until: ContinuousClock.Instant)
    }

    /// What the acceptor must do.
    enum Action: Equatable {
        /// Stop watching the listener; `episodeStarted` on the first failure of an episode (log it once).
        case pause(episodeStarted: Bool)
        /// Watch the listener again.
        case resume
        /// An accept succeeded after failures: the episode is over (log it once).
        case episodeEnded
    }

    /// How long the listener stays out of the loop (default 1 s, as swift-nio).
    let pause: Duration
    private(set) var state = State.accepting(inEpisode: false)

    /// A listener being watched.
    init(pause: Duration = .seconds(1)) { self.pause = pause }

    /// `accept` failed with `code` at `now`. Every failure pauses: besides the resource errors,
    /// an unexpected one would otherwise wake the loop again at once just the same.
    mutating func acceptFailed(code: Int32, now: ContinuousClock.Instant) -> Action? {
        guard case .accepting(let inEpisode) = state else { return nil }
        state = .paused(until: now + pause)
        return .pause(episodeStarted: !inEpisode)
    }

    /// An accept succeeded.
    mutating func accepted() -> Action? {
        guard state == .accepting(inEpisode: true) else { return nil }
        state = .accepting(inEpisode: false)
        return .episodeEnded
    }

    /// The loop's periodic check at `now`.
    mutating func tick(now: ContinuousClock.Instant) -> Action? {
        guard case .paused(let until) = state, now >= until else { return nil }
        state = .accepting(inEpisode: true)
        return .resume
    }
}
