import TroxileiaCore

/// The list-then-watch cycle of a reflector as a state machine: events in, actions out, the
/// clock passed in. The driver (`Reflector`) performs the actions; tests feed events.
///
/// - List all pages (`limit`/`continue`); when the last page arrives the store is replaced and
///   the watch starts from the list's resourceVersion.
/// - Every event and bookmark moves the resume point; a watch that ends cleanly (the server's
///   `timeoutSeconds`) restarts at once from it.
/// - 410 Gone/Expired (an ERROR event, or an HTTP 410) → list again from scratch.
/// - Any other failure, or no bytes for the inactivity limit → back off, then re-watch from the
///   resume point (or re-list, if no list has completed yet).
public struct ReflectorMachine: Sendable {
    /// What the driver does next.
    public enum Action: Sendable, Equatable {
        /// Fetch a list page (`nil`: the first).
        case list(continueToken: String?)
        /// Open a watch from `resourceVersion`.
        case watch(resourceVersion: String)
        /// Wait until the instant, then call `wokeUp(now:)`.
        case sleep(until: ContinuousClock.Instant)
    }

    private enum State: Sendable {
        case idle
        case listing
        case watching
        case waiting(then: Action)
    }

    private var state = State.idle
    private var backoff: Backoff
    /// The resume point: the list's version, then every event's.
    public private(set) var resourceVersion: String?
    /// `true` once a full list has been applied.
    public private(set) var hasListed = false

    public init(backoff: Backoff.Configuration = .init()) { self.backoff = Backoff(configuration: backoff) }

    /// Starts the cycle.
    public mutating func start() -> Action {
        state = .listing
        return .list(continueToken: nil)
    }

    /// A list page arrived; the driver replaces the store once `continueToken` is `nil`.
    public mutating func listPageArrived(continueToken: String?, resourceVersion: String) -> Action {
        if let continueToken { return .list(continueToken: continueToken) }
        self.resourceVersion = resourceVersion
        hasListed = true
        backoff.reset()
        state = .watching
        return .watch(resourceVersion: resourceVersion)
    }

    /// A list request failed. An expired continue token (410) restarts the list at once;
    /// anything else backs off and lists again.
    public mutating func listFailed(_ status: KubeStatus?, now: ContinuousClock.Instant, jitter: Double) -> Action {
        if status?.isGone == true {
            state = .listing
            return .list(continueToken: nil)
        }
        return wait(then: .list(continueToken: nil), now: now, jitter: jitter, retryAfter: status?.retryAfter)
    }

    /// A watch event (or bookmark) moved the resume point.
    public mutating func eventReceived(resourceVersion: String?) {
        if let resourceVersion { self.resourceVersion = resourceVersion }
    }

    /// The server ended the watch normally: watch again from the resume point, at once.
    public mutating func watchEnded() -> Action {
        guard let resourceVersion else { return relist() }
        state = .watching
        return .watch(resourceVersion: resourceVersion)
    }

    /// 410: the resume point is older than the server's history.
    public mutating func watchExpired() -> Action { relist() }

    /// The watch failed (connection dropped, HTTP error, inactivity): back off, then resume.
    public mutating func watchFailed(_ status: KubeStatus?, now: ContinuousClock.Instant, jitter: Double) -> Action {
        if status?.isGone == true { return relist() }
        let next: Action = resourceVersion.map { .watch(resourceVersion: $0) } ?? .list(continueToken: nil)
        return wait(then: next, now: now, jitter: jitter, retryAfter: status?.retryAfter)
    }

    /// The sleep ended.
    public mutating func wokeUp() -> Action {
        guard case .waiting(let next) = state else { return start() }
        if case .list = next { state = .listing } else { state = .watching }
        return next
    }

    private mutating func relist() -> Action {
        state = .listing
        return .list(continueToken: nil)
    }

    private mutating func wait(then next: Action, now: ContinuousClock.Instant, jitter: Double,
                               retryAfter: Duration?) -> Action {
        var delay = backoff.nextDelay(now: now, unit: jitter)
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        state = .waiting(then: next)
        return .sleep(until: now.advanced(by: delay))
    }
}
