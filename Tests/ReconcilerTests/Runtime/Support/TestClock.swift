import Reconciler
import Synchronization
import TroxileiaCore

/// A `ReconcilerClock` that moves only when the test advances it; the monotonic and the wall clock
/// move together. Sleepers due at or before the new time are woken by `advance(by:)`. Never sleeps.
final class TestClock: ReconcilerClock {
    private struct Sleeper {
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var offset: Duration = .zero
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    /// The monotonic instant at offset zero.
    let start = ContinuousClock.now
    /// The wall-clock time at offset zero.
    let wallStart: KubeTime
    private let state = Mutex(State())

    /// A clock whose wall time starts at `wallStart`.
    init(wallStart: KubeTime = KubeTime(secondsSinceEpoch: 1_800_000_000)) {
        self.wallStart = wallStart
    }

    /// How far the test has moved the clock.
    var offset: Duration { state.withLock { $0.offset } }
    var now: ContinuousClock.Instant { start + offset }
    var wallNow: KubeTime { wall(at: offset) }

    /// The wall-clock time at `offset`.
    func wall(at offset: Duration) -> KubeTime {
        let seconds = Double(offset.components.seconds) + Double(offset.components.attoseconds) / 1e18
        return KubeTime(secondsSinceEpoch: wallStart.secondsSinceEpoch + seconds)
    }

    /// How many sleeps have started so far (each timer the reconciler arms is one).
    var sleepsStarted: Int { state.withLock { $0.nextID } }

    /// The offsets at which sleepers wait, earliest first.
    var pendingDeadlines: [Duration] {
        state.withLock { state in state.sleepers.values.map { start.duration(to: $0.deadline) }.sorted() }
    }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= start + state.offset { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                let sleeper = state.sleepers.removeValue(forKey: id)
                if sleeper == nil { state.cancelled.insert(id) }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves both clocks forward by `step` and wakes every sleeper now due, earliest first.
    func advance(by step: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.offset += step
            let now = start + state.offset
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

/// Lets other tasks run until `condition` holds: at most `rounds` yields (no sleeping); returns
/// whether it held.
func eventually(rounds: Int = 20_000, _ condition: () async -> Bool) async -> Bool {
    for _ in 0..<rounds {
        if await condition() { return true }
        await Task.yield()
    }
    return await condition()
}
