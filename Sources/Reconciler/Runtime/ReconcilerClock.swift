import KubeAPI
import TroxileiaCore

/// The reconciler's time (issue 13): the monotonic clock that debounce, retries, resyncs and pod
/// timers sleep on, and the wall clock that pod ages are counted in. Injected, so the actor can be
/// tested on a test clock that moves both together, without sleeping.
public protocol ReconcilerClock: Sendable {
    /// The monotonic instant now.
    var now: ContinuousClock.Instant { get }
    /// The wall-clock time now (pods' creation and Ready transition times are wall-clock times).
    var wallNow: KubeTime { get }
    /// Suspends until `deadline`.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

/// The real clocks: `ContinuousClock` and `KubeTime.wallNow`.
public struct SystemReconcilerClock: ReconcilerClock {
    /// The system's clocks.
    public init() {}

    public var now: ContinuousClock.Instant { .now }
    public var wallNow: KubeTime { .wallNow }
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}
