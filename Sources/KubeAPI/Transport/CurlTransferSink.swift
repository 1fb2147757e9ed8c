import Synchronization

/// The caller's end of one transfer: where the result goes, and whether the caller still wants it.
///
/// Shared by the caller's task and the loop thread. It closes exactly once — by the result, a
/// failure or the caller's cancellation, whichever comes first — and whatever comes later is
/// dropped, so a checked continuation is resumed exactly once however the two sides race.
final class CurlTransferSink: Sendable {
    private enum State {
        /// Open; `send` has not parked its continuation yet (or this is a stream).
        case open
        /// Open, with `send`'s continuation parked.
        case waiting(CheckedContinuation<Result<KubeResponse, KubeAPIError>, Never>)
        case closed
    }

    private let state = Mutex(State.open)
    /// The bounded buffer the consumer of `stream` reads; `nil` for `send`.
    let stream: CurlStreamBuffer?

    /// A sink for `send` (`stream == nil`) or for `stream`.
    init(stream: CurlStreamBuffer?) {
        self.stream = stream
    }

    /// `true` for a streaming transfer.
    var isStream: Bool { stream != nil }

    /// `true` once the result is delivered or the caller has gone; a transfer not yet started is
    /// then never started.
    var isClosed: Bool {
        state.withLock { if case .closed = $0 { true } else { false } }
    }

    /// Parks `send`'s continuation.
    /// - Returns: `false` when the sink is already closed (cancelled before the request was
    ///   submitted): the continuation has then been resumed with `.cancelled` and nothing should start.
    func wait(_ continuation: CheckedContinuation<Result<KubeResponse, KubeAPIError>, Never>) -> Bool {
        let parked = state.withLock { state -> Bool in
            guard case .open = state else { return false }
            state = .waiting(continuation)
            return true
        }
        if !parked { continuation.resume(returning: .failure(.cancelled)) }
        return parked
    }

    /// Delivers `send`'s response.
    func deliver(_ response: KubeResponse) {
        close()?.resume(returning: .success(response))
    }

    /// Hands a streamed part to the consumer's buffer: taken, refused because the buffer is full
    /// (pause the transfer), or refused because the consumer has gone (stop the transfer).
    func yield(_ part: KubeStreamPart) -> CurlStreamBuffer.Offer {
        guard let stream else { return .gone }
        return stream.offer(part)
    }

    /// Ends a stream normally.
    func finishStream() {
        guard isOpenThenClose() else { return }
        stream?.finish(throwing: nil)
    }

    /// Ends the transfer with `error`: `send` throws it, a stream throws it after its parts.
    func fail(_ error: KubeAPIError) {
        if let stream {
            guard isOpenThenClose() else { return }
            stream.finish(throwing: error)
        } else {
            close()?.resume(returning: .failure(error))
        }
    }

    /// The caller has gone (task cancelled, stream iteration ended): `send` returns `.cancelled`
    /// at once; a stream is already terminated from the consumer's side.
    func cancel() {
        if let stream {
            _ = isOpenThenClose()
            stream.consumerLeft()
        } else {
            close()?.resume(returning: .failure(.cancelled))
        }
    }

    /// Closes the sink; returns the parked continuation if there was one and it was still open.
    private func close() -> CheckedContinuation<Result<KubeResponse, KubeAPIError>, Never>? {
        state.withLock { state in
            defer { state = .closed }
            if case .waiting(let continuation) = state { return continuation }
            return nil
        }
    }

    /// Closes the sink; `true` when it was open until now.
    private func isOpenThenClose() -> Bool {
        state.withLock { state in
            defer { state = .closed }
            if case .closed = state { return false }
            return true
        }
    }
}
