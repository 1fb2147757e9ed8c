import Synchronization

/// An unbounded queue of change notifications read through `AsyncStream(unfolding:)`, counting what
/// the reader took, so a test knows when a feeder has seen every change it posted.
final class ChangeFeed<Value: Sendable>: Sendable {
    private struct State {
        var queue: [Value] = []
        var waiter: CheckedContinuation<Value?, Never>?
        var taken = 0
        var readerCancelled = false
    }

    private let state = Mutex(State())

    /// Queues `value` for the reader.
    func post(_ value: Value) {
        let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                state.taken += 1
                return waiter
            }
            state.queue.append(value)
            return nil
        }
        waiter?.resume(returning: value)
    }

    /// How many values the reader has taken.
    var taken: Int { state.withLock { $0.taken } }

    /// The reader's stream (one reader).
    func stream() -> AsyncStream<Value> {
        AsyncStream(unfolding: { await self.next() })
    }

    private func next() async -> Value? {
        // A queued value is taken without suspending, so a feeder drains a burst in one go.
        let queued = state.withLock { state -> Value? in
            guard !state.readerCancelled, !state.queue.isEmpty else { return nil }
            state.taken += 1
            return state.queue.removeFirst()
        }
        if let queued { return queued }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let ready = state.withLock { state -> Value?? in
                    if state.readerCancelled { return .some(nil) }
                    guard !state.queue.isEmpty else {
                        state.waiter = continuation
                        return .none
                    }
                    state.taken += 1
                    return .some(state.queue.removeFirst())
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { state in
                state.readerCancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }?.resume(returning: nil)
        }
    }
}
