import Synchronization

/// A response body written over time — a Kubernetes watch — sent with chunked framing.
///
/// The responder returns it in `HTTPResponse.stream` and keeps it; any thread may then call
/// `write` and `finish`. Chunks reach the connection's event loop in order. When the client
/// goes away first, `write` returns `false` and the `onClientGone` handlers run once, so the
/// producer can stop.
public final class HTTPBodyStream: Sendable {
    /// What travels to the connection.
    enum Event: Sendable {
        case data([UInt8])
        case end
    }

    private enum State {
        case buffering([Event])
        case attached(@Sendable (Event) -> Void)
        case closed
    }

    private let state = Mutex(State.buffering([]))
    private let goneHandlers = ClientGoneHandlers()

    public init() {}

    /// Sends `bytes` as one chunk (empty writes are skipped: an empty chunk would end the body).
    /// - Returns: `false` once the client is gone or the stream finished.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return isOpen }
        return deliver(.data(bytes), closing: false)
    }

    /// Ends the body (the terminating chunk); the connection may then serve its next request.
    public func finish() { _ = deliver(.end, closing: true) }

    /// `false` after `finish()` or once the client is gone.
    public var isOpen: Bool {
        state.withLock { if case .closed = $0 { false } else { true } }
    }

    /// Runs `handler` once when the client disconnects before the stream finished (at once if it already has).
    public func onClientGone(_ handler: @escaping @Sendable () -> Void) { goneHandlers.add(handler) }


    // MARK: Connection side

    /// Connects the stream to a connection; buffered events are delivered first. The sink is
    /// called under the lock (it only queues a job on the event loop), so events from the
    /// buffer and from concurrent writers reach the connection in the order they were written.
    func attach(_ sink: @escaping @Sendable (Event) -> Void) {
        state.withLock { state in
            guard case .buffering(let events) = state else { return }
            for event in events { sink(event) }
            let finished = events.contains { if case .end = $0 { true } else { false } }
            state = finished ? .closed : .attached(sink)
        }
    }

    /// The connection closed; stops the stream and tells the producer.
    func clientClosed() {
        state.withLock { $0 = .closed }
        goneHandlers.fire()
    }

    private func deliver(_ event: Event, closing: Bool) -> Bool {
        state.withLock { state in
            switch state {
            case .closed:
                return false
            case .buffering(var events):
                // Drop the state's reference first, so the append does not copy the whole buffer
                // (a watch-list writes its initial burst, thousands of chunks, before it is attached).
                state = .closed
                events.append(event)
                state = .buffering(events)
                return true
            case .attached(let sink):
                sink(event)
                if closing { state = .closed }
                return true
            }
        }
    }
}
