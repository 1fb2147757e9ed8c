import Synchronization

/// A response produced later, off the event loop: the responder returns it in
/// `HTTPResponse.deferred` at once and any thread calls `complete(_:)` when the answer is ready
/// (after an outgoing call or a deliberate delay), so the loop never waits.
///
/// Until it completes, the connection sends nothing and reads no further requests (pipelined
/// requests wait, keeping responses in order); the idle timeout does not run. Only the first
/// `complete` counts. If the client leaves first, the answer is dropped and `onClientGone`
/// handlers run once.
public final class HTTPDeferredResponse: Sendable {
    private enum State {
        case waiting
        case ready(HTTPResponse)
        case attached(@Sendable (HTTPResponse) -> Void)
        case done
    }

    private let state = Mutex(State.waiting)
    private let goneHandlers = ClientGoneHandlers()

    /// Creates an unanswered response.
    public init() {}

    /// Delivers the answer; a streamed answer (`response.stream`) is allowed. Later calls, and
    /// calls after the client left, do nothing. A `deferred` answer is sent as a 500.
    public func complete(_ response: HTTPResponse) {
        let answer = response.deferred == nil ? response : .text(500, "a deferred response cannot defer again\n")
        state.withLock { state in
            switch state {
            case .waiting: state = .ready(answer)
            case .attached(let sink):
                sink(answer)
                state = .done
            case .ready, .done: break
            }
        }
    }

    /// Runs `handler` once if the client disconnects before the answer was sent (at once if it already has).
    public func onClientGone(_ handler: @escaping @Sendable () -> Void) { goneHandlers.add(handler) }


    // MARK: Connection side

    /// Connects the response to a connection; an answer that is already there is delivered at once.
    func attach(_ sink: @escaping @Sendable (HTTPResponse) -> Void) {
        state.withLock { state in
            switch state {
            case .waiting: state = .attached(sink)
            case .ready(let response):
                sink(response)
                state = .done
            case .attached, .done: break
            }
        }
    }

    /// The connection closed before the answer was sent.
    func clientClosed() {
        state.withLock { $0 = .done }
        goneHandlers.fire()
    }
}
