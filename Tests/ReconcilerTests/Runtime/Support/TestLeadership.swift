import Reconciler
import Synchronization

/// Leadership the test flips by hand.
final class TestLeadership: Leadership {
    private let state = Mutex<(leading: Bool, listeners: [AsyncStream<Bool>.Continuation])>((true, []))

    var isLeader: Bool { state.withLock { $0.leading } }
    var holder: String? { isLeader ? "replica-a" : "replica-b" }

    func changes() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
        state.withLock { state in
            state.listeners.append(continuation)
            continuation.yield(state.leading)
        }
        return stream
    }

    /// Gains or loses the Lease.
    func set(leading: Bool) {
        state.withLock { state in
            state.leading = leading
            for listener in state.listeners { listener.yield(leading) }
        }
    }
}
