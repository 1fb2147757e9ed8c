import Synchronization

/// Faults the stand-in injects on request (scenario controls): failed answers and added latency.
/// Thread-safe; read on every API request.
public final class Scenario: Sendable {
    private struct State {
        var failures = 0
        var failureCode = 500
        var retryAfterSeconds = 1
        var failurePathPrefix = ""
        var latency: Duration = .zero
    }

    private let state = Mutex(State())

    /// No faults.
    public init() {}

    /// Answers the next `count` API requests with `code` (500 InternalError or 429
    /// TooManyRequests with `Retry-After: retryAfterSeconds`). Scenario endpoints are not counted;
    /// with `pathPrefix`, only requests whose path starts with it are failed and counted (e.g.
    /// `/apis/coordination.k8s.io/`: the Lease writes fail while Node writes go through).
    public func failNext(_ count: Int, code: Int = 500, retryAfterSeconds: Int = 1, pathPrefix: String = "") {
        state.withLock { state in
            state.failures = max(0, count)
            state.failurePathPrefix = pathPrefix
            state.failureCode = code == 429 ? 429 : (500...599).contains(code) ? code : 500
            state.retryAfterSeconds = max(0, retryAfterSeconds)
        }
    }

    /// Delays every later API answer (not watch streams) by `latency`; `.zero` turns it off.
    public func setLatency(_ latency: Duration) {
        state.withLock { $0.latency = max(.zero, latency) }
    }

    /// The latency added to each answer.
    public var latency: Duration { state.withLock { $0.latency } }

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
            var status = StatusBody(code: state.failureCode, reason: "InternalError",
                                    message: "Internal error occurred: injected by the stand-in")
            if state.failureCode == 503 { status.retryAfter = state.retryAfterSeconds }
            return status
        }
    }
}
