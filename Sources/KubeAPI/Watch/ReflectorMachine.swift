import TroxileiaCore

/// The sync-then-watch cycle of a reflector as a state machine: events in, actions out, the
/// clock passed in. The driver (`Reflector`) performs the actions; tests feed events.
///
/// - Sync, one of two ways:
///   - watch-list (KEP-3157; what client-go 1.36's informers do): one watch that streams the current
///     state as ADDED events, then a BOOKMARK annotated `k8s.io/initial-events-end`; the driver
///     replaces the store at that bookmark (`initialEventsEnded`) and keeps reading the same stream;
///   - paginated list (`limit`/`continue`); when the last page arrives the store is replaced and
///     the watch starts from the list's resourceVersion.
///   Watch-list is tried first unless turned off; a server that refuses it (400/422), ends the
///   stream before the bookmark, or shows it ignored the request (`watchListIgnored`) is listed
///   from then on, for the machine's lifetime (a false "unsupported" costs only the list's speed;
///   a false "supported" would never sync).
/// - Every event and bookmark after the sync moves the resume point; a watch that ends cleanly (the
///   server's `timeoutSeconds`) restarts at once from it.
/// - 410 Gone/Expired (an ERROR event, or an HTTP 410) → sync again from scratch.
/// - Any other failure, or no bytes for the inactivity limit → back off, then re-watch from the
///   resume point (or sync again, if no sync has completed yet or one was under way; after
///   `failedWatchListsBeforeFallback` failed watch-lists in a row, that sync is a list).
public struct ReflectorMachine: Sendable {
    /// What the driver does next.
    public enum Action: Sendable, Equatable {
        /// Fetch a list page (`nil`: the first).
        case list(continueToken: String?)
        /// Open a watch-list: collect its ADDED events, replace the store with them at the
        /// initial-events-end bookmark (then call `initialEventsEnded`), apply what follows.
        case watchList
        /// Open a watch from `resourceVersion`.
        case watch(resourceVersion: String)
        /// Wait until the instant, then call `wokeUp()`.
        case sleep(until: ContinuousClock.Instant)
    }

    /// What the machine knows about the server's watch-list support.
    public enum WatchListSupport: Sendable, Equatable {
        /// Turned off by configuration: paginated lists only.
        case off
        /// Not yet seen to work (tried first).
        case untried
        /// An initial-events-end bookmark arrived.
        case supported
        /// Refused or ignored by the server; lists from now on. `reason` says how, for logs.
        case unsupported(reason: String)
    }

    private enum State: Sendable {
        case idle
        case listing
        case streamingInitialEvents
        case watching
        case waiting(then: Action)
    }

    /// Watch-lists failing in a row (dropped, 5xx, 410) before the machine syncs by a list instead,
    /// this once: as client-go falls back to a list when a watch-list fails, "making progress is
    /// better than deadlocking" (say, a proxy that cuts long responses). The next sync tries a
    /// watch-list again: an API server restart must not cost the watch-list for good.
    public static let failedWatchListsBeforeFallback = 3

    private var state = State.idle
    private var backoff: Backoff
    /// Watch-lists that failed since the last one that reached its end bookmark.
    private var failedWatchLists = 0
    /// The resume point: the sync's version, then every event's.
    public private(set) var resourceVersion: String?
    /// `true` once a full sync (list or initial events) has been applied.
    public private(set) var hasListed = false
    /// Whether the next sync is a watch-list.
    public private(set) var watchListSupport: WatchListSupport

    /// A machine that syncs by watch-list first when `watchList` is true, else by lists only.
    public init(backoff: Backoff.Configuration = .init(), watchList: Bool = false) {
        self.backoff = Backoff(configuration: backoff)
        watchListSupport = watchList ? .untried : .off
    }

    /// Starts the cycle.
    public mutating func start() -> Action { sync() }

    // MARK: Paginated list

    /// A list page arrived; the driver replaces the store once `continueToken` is `nil`.
    public mutating func listPageArrived(continueToken: String?, resourceVersion: String) -> Action {
        if let continueToken { return .list(continueToken: continueToken) }
        synced(at: resourceVersion)
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

    // MARK: Watch-list

    /// The watch-list's initial-events-end bookmark arrived at `resourceVersion`: the driver has
    /// replaced the store and goes on reading the same stream as a watch.
    public mutating func initialEventsEnded(resourceVersion: String) {
        guard case .streamingInitialEvents = state else { return }
        watchListSupport = .supported
        failedWatchLists = 0
        synced(at: resourceVersion)
    }

    /// The watch-list's stream showed the server ignored `sendInitialEvents` (an event a watch-list
    /// never sends before its end bookmark, silence where the bookmark should be, or more events than
    /// any real state): list instead, from now on.
    public mutating func watchListIgnored(reason: String) -> Action {
        watchListSupport = .unsupported(reason: reason)
        state = .listing
        return .list(continueToken: nil)
    }

    // MARK: Watch

    /// A watch event (or bookmark) moved the resume point.
    public mutating func eventReceived(resourceVersion: String?) {
        guard case .watching = state, let resourceVersion else { return }
        self.resourceVersion = resourceVersion
    }

    /// The server ended the watch normally: watch again from the resume point, at once. A
    /// watch-list that ends before its initial events did is a server that does not support it.
    public mutating func watchEnded() -> Action {
        if case .streamingInitialEvents = state {
            return watchListIgnored(reason: "the stream ended before the initial-events-end bookmark")
        }
        guard let resourceVersion else { return sync() }
        state = .watching
        return .watch(resourceVersion: resourceVersion)
    }

    /// 410: the resume point is older than the server's history; sync again at once. During a
    /// watch-list's initial events (which ask for no version, so a real server never sends it) it
    /// is a failure like any other, backed off so a server sending nothing else cannot spin us.
    public mutating func watchExpired(now: ContinuousClock.Instant, jitter: Double) -> Action {
        if case .streamingInitialEvents = state { return watchListFailed(now: now, jitter: jitter, retryAfter: nil) }
        return sync()
    }

    /// The watch failed (connection dropped, HTTP error, inactivity): back off, then resume. A
    /// watch-list refused with 400 BadRequest or 422 Invalid (kube-apiserver's answers to
    /// parameters it does not take: "resourceVersionMatch is forbidden for watch" before 1.27,
    /// "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"
    /// after) falls back to lists at once.
    public mutating func watchFailed(_ status: KubeStatus?, now: ContinuousClock.Instant, jitter: Double) -> Action {
        if case .streamingInitialEvents = state {
            if let code = status?.code, code == 400 || code == 422 {
                return watchListIgnored(reason: "the server refused it: \(code) \(status?.message.prefix(200) ?? "")")
            }
            return watchListFailed(now: now, jitter: jitter, retryAfter: status?.retryAfter)
        }
        if status?.isGone == true { return sync() }
        let next: Action = resourceVersion.map { .watch(resourceVersion: $0) } ?? sync()
        return wait(then: next, now: now, jitter: jitter, retryAfter: status?.retryAfter)
    }

    /// The sleep ended.
    public mutating func wokeUp() -> Action {
        guard case .waiting(let next) = state else { return start() }
        switch next {
        case .list: state = .listing
        case .watchList: state = .streamingInitialEvents
        case .watch, .sleep: state = .watching
        }
        return next
    }

    // MARK: Helpers

    /// A watch-list failed before its end bookmark: back off and
    /// try again, or, once `failedWatchListsBeforeFallback` have failed in a row, back off and sync
    /// by a list this time.
    private mutating func watchListFailed(now: ContinuousClock.Instant, jitter: Double, retryAfter: Duration?) -> Action {
        failedWatchLists += 1
        guard failedWatchLists < Self.failedWatchListsBeforeFallback else {
            failedWatchLists = 0
            return wait(then: .list(continueToken: nil), now: now, jitter: jitter, retryAfter: retryAfter)
        }
        return wait(then: .watchList, now: now, jitter: jitter, retryAfter: retryAfter)
    }

    /// A full sync from scratch: watch-list unless it is off or known unsupported.
    private mutating func sync() -> Action {
        switch watchListSupport {
        case .untried, .supported:
            state = .streamingInitialEvents
            return .watchList
        case .off, .unsupported:
            state = .listing
            return .list(continueToken: nil)
        }
    }

    private mutating func synced(at resourceVersion: String) {
        self.resourceVersion = resourceVersion
        hasListed = true
        backoff.reset()
        state = .watching
    }

    private mutating func wait(then next: Action, now: ContinuousClock.Instant, jitter: Double,
                               retryAfter: Duration?) -> Action {
        var delay = backoff.nextDelay(now: now, unit: jitter)
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        state = .waiting(then: next)
        return .sleep(until: now.advanced(by: delay))
    }
}
