import Synchronization

/// The bounded hand-over between a streaming transfer (the loop thread) and its one consumer: the
/// only buffer on the watch path (issue 13).
///
/// The loop thread `offer`s each part. Past `limit` buffered body bytes the offer is refused and
/// the transfer pauses (`CURL_WRITEFUNC_PAUSE`: libcurl keeps the bytes and the server's TCP window
/// closes), so a consumer that lags holds the server back instead of growing memory. When the
/// consumer has drained the buffer to half the limit, `resume` is called once to unpause the
/// transfer (on the loop thread, through the transport). The head is always taken.
///
/// The consumer calls `next()` serially (an `AsyncThrowingStream`'s iterator is single-consumer).
final class CurlStreamBuffer: Sendable {
    /// What `offer` did with a part.
    enum Offer: Equatable {
        /// Buffered (or handed straight to a waiting consumer).
        case taken
        /// Over the limit: not taken; pause the transfer until `resume` is called.
        case full
        /// The consumer has gone: abort the transfer.
        case gone
    }

    private struct State {
        var parts: [KubeStreamPart] = []
        /// Index of the next part to hand out (parts before it are spent).
        var first = 0
        var bytes = 0
        var paused = false
        var end: Result<Void, any Error>?
        var waiter: CheckedContinuation<Void, Never>?
        var consumerGone = false

        var hasPart: Bool { first < parts.count }
    }

    private enum Take {
        case part(KubeStreamPart)
        case end
        case wait
    }

    /// Body bytes held before the transfer is paused.
    let limit: Int
    private let state = Mutex(State())
    /// Unpauses the transfer; set by the transport before the transfer starts.
    private let resumeTransfer = Mutex<(@Sendable () -> Void)?>(nil)

    /// A buffer holding at most about `limit` body bytes (the part that crosses it is still taken).
    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    /// Sets how to unpause the transfer (`CurlTransferLoop.resume`).
    func onResume(_ resume: @escaping @Sendable () -> Void) { resumeTransfer.withLock { $0 = resume } }

    /// Body bytes buffered now (for tests).
    var bufferedBytes: Int { state.withLock { $0.bytes } }

    /// Loop thread: buffers `part`, or refuses it when the buffer is over the limit or nobody reads.
    func offer(_ part: KubeStreamPart) -> Offer {
        let size = if case .body(let bytes) = part { bytes.count } else { 0 }
        let (offer, waiter) = state.withLock { state -> (Offer, CheckedContinuation<Void, Never>?) in
            if state.consumerGone || state.end != nil { return (.gone, nil) }
            if size > 0, state.bytes >= limit {
                state.paused = true
                return (.full, nil)
            }
            state.parts.append(part)
            state.bytes += size
            defer { state.waiter = nil }
            return (.taken, state.waiter)
        }
        waiter?.resume()
        return offer
    }

    /// The stream ended (`nil`) or failed with `error`; the consumer gets it after the buffered parts.
    func finish(throwing error: (any Error)?) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The consumer has gone: the buffer is dropped, later offers get `.gone`, a waiting `next()` ends.
    func consumerLeft() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.consumerGone = true
            state.parts = []
            state.first = 0
            state.bytes = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Consumer: the next part, `nil` at the end; throws the transfer's error after the parts before
    /// it. Cancelling the calling task ends it with `KubeAPIError.cancelled` and calls `onCancel`
    /// (the transport aborts the transfer).
    func next(onCancel: @escaping @Sendable () -> Void) async throws -> KubeStreamPart? {
        while true {
            switch try take() {
            case .part(let part): return part
            case .end: return nil
            case .wait:
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let ready = state.withLock { state -> Bool in
                            if state.hasPart || state.end != nil || state.consumerGone { return true }
                            state.waiter = continuation
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                } onCancel: {
                    self.consumerLeft()
                    onCancel()
                }
            }
        }
    }

    /// The next buffered part or the end; `.wait` when neither is there yet. Unpauses the transfer
    /// once the buffer is down to half the limit.
    private func take() throws -> Take {
        let (taken, resume) = try state.withLock { state throws -> (Take, Bool) in
            if state.consumerGone { throw KubeAPIError.cancelled }
            guard state.hasPart else {
                guard let end = state.end else { return (.wait, false) }
                try end.get()
                return (.end, false)
            }
            let part = state.parts[state.first]
            state.first += 1
            if case .body(let bytes) = part { state.bytes -= bytes.count }
            if !state.hasPart {
                state.parts.removeAll(keepingCapacity: true)
                state.first = 0
            } else if state.first >= 64 {
                state.parts.removeFirst(state.first)
                state.first = 0
            }
            let resume = state.paused && state.bytes <= limit / 2
            if resume { state.paused = false }
            return (.part(part), resume)
        }
        if resume { resumeTransfer.withLock { $0 }?() }
        return taken
    }
}
