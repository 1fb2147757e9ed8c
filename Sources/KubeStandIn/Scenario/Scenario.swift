import Synchronization

/// Faults the stand-in injects on request (scenario controls): failed answers and added latency.
/// Thread-safe; read on every API request.
public final class Scenario: Sendable {
    /// How the stand-in answers a watch-list (`sendInitialEvents`), to test a client's fallbacks.
    public enum WatchListSupport: String, Sendable, CaseIterable {
        /// As kube-apiserver v1.36 (watch/nodes-watch-initial-events.*): the current state as ADDED
        /// events, then the initial-events-end bookmark.
        case served
        /// As a server with the `WatchList` feature gate off: 422 "sendInitialEvents is forbidden
        /// for watch unless the WatchList feature gate is enabled".
        case forbidden
        /// As a server that does not know the parameters: `sendInitialEvents` and
        /// `resourceVersionMatch` dropped unread, so a watch without a resourceVersion gets ADDED
        /// events for the current state (the legacy watch) and never the end bookmark.
        case ignored
    }

    private struct State {
        var watchList = WatchListSupport.served
        var failures = 0
        var failureCode = 500
        var retryAfterSeconds = 1
        var failurePathPrefix = ""
        var latency: Duration = .zero
        var bearerToken: String??
        var bypassAdmission = false
    }

    private let state = Mutex(State())

    /// No faults.
    public init() {}

    /// Answers the next `count` API requests with `code` (500 InternalError, 429
    /// TooManyRequests with `Retry-After: retryAfterSeconds`, 403 Forbidden as RBAC answers once a
    /// binding is deleted, or 401 Unauthorized as for a deleted ServiceAccount's token). Scenario
    /// endpoints are not counted; with `pathPrefix`, only requests whose path starts with it are
    /// failed and counted (e.g. `/apis/coordination.k8s.io/`: the Lease writes fail while Node writes
    /// go through).
    public func failNext(_ count: Int, code: Int = 500, retryAfterSeconds: Int = 1, pathPrefix: String = "") {
        state.withLock { state in
            state.failures = max(0, count)
            state.failurePathPrefix = pathPrefix
            state.failureCode = [429, 403, 401].contains(code) ? code : (500...599).contains(code) ? code : 500
            state.retryAfterSeconds = max(0, retryAfterSeconds)
        }
    }

    /// Delays every later API answer (not watch streams) by `latency`; `.zero` turns it off.
    public func setLatency(_ latency: Duration) {
        state.withLock { $0.latency = max(.zero, latency) }
    }

    /// The latency added to each answer.
    public var latency: Duration { state.withLock { $0.latency } }

    /// Replaces the bearer token API requests must carry (`nil`: none), as when a credential is
    /// rotated: requests with the old one get 401 from now on.
    public func rotateToken(to token: String?) { state.withLock { $0.bearerToken = .some(token) } }

    /// The token set by `rotateToken(to:)`; `.none` until then (the configuration's token applies).
    var rotatedToken: String?? { state.withLock { $0.bearerToken } }

    /// Makes later watch-lists be served, refused or ignored.
    public func setWatchList(_ support: WatchListSupport) { state.withLock { $0.watchList = support } }

    /// How watch-lists are answered now.
    public var watchList: WatchListSupport { state.withLock { $0.watchList } }

    /// Turns the admission webhook off (`true`) or on again: Node writes are stored without review,
    /// as with a label set before the webhook was installed.
    public func bypassAdmission(_ bypass: Bool) { state.withLock { $0.bypassAdmission = bypass } }

    /// Whether admission is bypassed now.
    var isAdmissionBypassed: Bool { state.withLock { $0.bypassAdmission } }

    /// The injected failure for a request to `path`, if one is due; counts it.
    func takeFault(path: String) -> StatusBody? {
        state.withLock { state -> StatusBody? in
            guard state.failures > 0, path.hasPrefix(state.failurePathPrefix) else { return nil }
            state.failures -= 1
            if state.failureCode == 429 {
                var status = StatusBody(code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.")
                status.retryAfter = state.retryAfterSeconds
                return status
            }
            if state.failureCode == 401 {
                return StatusBody(code: 401, reason: "Unauthorized", message: "Unauthorized")
            }
            if state.failureCode == 403 {
                return StatusBody(code: 403, reason: "Forbidden",
                                  message: "forbidden: the stand-in refuses this request (injected, as RBAC without a binding)")
            }
            var status = StatusBody(code: state.failureCode, reason: "InternalError",
                                    message: "Internal error occurred: injected by the stand-in")
            if state.failureCode == 503 { status.retryAfter = state.retryAfterSeconds }
            return status
        }
    }
}
