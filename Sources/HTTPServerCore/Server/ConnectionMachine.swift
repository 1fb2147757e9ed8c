/// The life of one connection as a value: events in, actions out, the time passed in.
///
/// The driver (`Connection`) owns the socket, the TLS session and the bytes waiting to be written;
/// this machine owns everything else: which phase the connection is in, since when, and what must
/// happen next. It never reads a clock, never calls a responder and never touches a descriptor, so
/// every transition can be tested by feeding events on a test clock (`ConnectionMachineTests`).
///
/// Rules the states make impossible to break:
/// - Requests are read only in `.reading`, which is entered only when nothing is being answered or
///   written. While a response is outstanding, pipelined bytes wait in the kernel (bounded by the
///   socket buffer), so the parser's header and body limits always hold and no request timer runs
///   behind a live response: a 408 can only be written when nothing else is.
/// - Each state carries its own timer start; `tick` is the only place a timer fires.
/// - Streams and deferred answers are held by the state that waits for them, so a close always
///   tells their producer (`.abandon`).
struct ConnectionMachine {
    /// Timers and bounds; `HTTPServer.Configuration` documents each default.
    struct Limits: Sendable, Equatable {
        /// The TLS handshake, from the accept.
        var handshake: Duration = .seconds(5)
        /// A request's head, from its first byte.
        var headerRead: Duration = .seconds(5)
        /// A request's body, from the end of its head (or the 100 Continue).
        var bodyRead: Duration = .seconds(30)
        /// A keep-alive connection with nothing to do.
        var idle: Duration = .seconds(120)
        /// Bytes handed to the socket that the client does not take.
        var write: Duration = .seconds(30)
        /// A streamed body the client does not read is cut off beyond this many unsent bytes, as
        /// kube-apiserver cuts off watchers that fall behind (default 16 MiB).
        var streamBacklog = 16 << 20
    }

    /// What the connection is doing.
    enum State {
        /// TLS handshake under way since `since`, waiting for the socket to become readable or writable.
        case handshaking(since: ContinuousClock.Instant, waitingFor: Direction)
        /// Reading requests; nothing is being answered or written.
        case reading(ReadPhase)
        /// A request is being answered; reading waits.
        case responding(Responding)
        /// Bytes of a complete answer were handed to the driver at `since`; once they have left,
        /// `then` happens. Reading waits.
        case writing(since: ContinuousClock.Instant, then: AfterWrite)
        /// Nothing more happens.
        case closed
    }

    /// Where the current request is, and since when.
    enum ReadPhase: Equatable {
        /// No byte of a next request yet (keep-alive); the idle timer runs.
        case idle(since: ContinuousClock.Instant)
        /// Part of a request head is buffered; the header timer runs from its first byte.
        case head(since: ContinuousClock.Instant)
        /// The head is complete and the body is arriving; the body timer runs.
        case body(since: ContinuousClock.Instant)
    }

    /// A request being answered.
    enum Responding {
        /// The responder has the request (the driver answers with `responseReady` at once).
        case dispatched(keepAlive: Bool)
        /// The answer comes later through `deferred`.
        case awaiting(keepAlive: Bool, deferred: HTTPDeferredResponse)
        /// The body is streamed; `blockedSince` is set while the socket does not take it.
        case streaming(keepAlive: Bool, stream: HTTPBodyStream, blockedSince: ContinuousClock.Instant?)
    }

    /// What follows a written answer.
    enum AfterWrite: Equatable {
        /// Read (or parse, when already buffered) the next request.
        case readNext
        /// Close the connection.
        case close(CloseReason)
    }

    /// Which readiness the handshake waits for.
    enum Direction: Equatable { case read, write }

    /// Why a connection closes; the driver turns some into metrics and log lines.
    enum CloseReason: Equatable {
        /// The exchange is over (`Connection: close`, HTTP/1.0, draining).
        case finished
        /// A keep-alive connection stayed idle too long, or the server drains.
        case idle
        /// The client closed its side, or left while a response was outstanding.
        case peerClosed
        /// The socket failed (read, write or epoll error).
        case socketError
        /// The handshake failed; `HTTPServerObserver.handshakeFailed` reports it.
        case handshakeFailed(HandshakeFailure)
        /// The client did not take a response within the write timeout.
        case writeTimeout
        /// The client fell `Limits.streamBacklog` bytes behind a streamed body.
        case streamBacklog
        /// The request was refused (4xx written, connection not reusable).
        case refused
        /// The server closed it (shutdown, or the event loop could not watch it).
        case shutdown
    }

    /// The readiness the driver should watch for.
    enum Interest: Equatable {
        /// Requests may come: readable, or the peer closing.
        case read
        /// Only the peer closing matters (an answer is being produced).
        case peerClose
        /// Bytes wait to be written.
        case write
        /// Bytes wait to be written, and the peer closing matters (a blocked stream).
        case writeAndPeerClose
        /// Nothing (closed).
        case none
    }

    /// What the driver must do, in order.
    enum Action: Equatable {
        /// Call the responder with the request, then report with `responseReady`.
        case dispatch(HTTPRequest)
        /// Queue these bytes and write what the socket takes; then report `writeSettled` or `writeBlocked`.
        case write([UInt8])
        /// Deliver the stream's events with `streamData` and `streamEnded`.
        case startStream(HTTPBodyStream)
        /// Deliver the deferred answer with `deferredAnswered`.
        case awaitAnswer(HTTPDeferredResponse)
        /// A request was refused with `status` before reaching the responder (for metrics).
        case refused(status: Int)
        /// The client is gone before its answer: tell the producer.
        case abandonStream(HTTPBodyStream)
        /// The client is gone before its answer: tell the producer.
        case abandonAnswer(HTTPDeferredResponse)
        /// Close the socket now.
        case close(CloseReason)

        static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case (.dispatch(let a), .dispatch(let b)): a == b
            case (.write(let a), .write(let b)): a == b
            case (.startStream(let a), .startStream(let b)), (.abandonStream(let a), .abandonStream(let b)): a === b
            case (.awaitAnswer(let a), .awaitAnswer(let b)), (.abandonAnswer(let a), .abandonAnswer(let b)): a === b
            case (.refused(let a), .refused(let b)): a == b
            case (.close(let a), .close(let b)): a == b
            default: false
            }
        }
    }

    /// The timers and bounds this connection enforces.
    let limits: Limits
    /// The current state; changed only by the event methods (the extensions in other files).
    var state: State
    /// The bytes read and not yet parsed; fed only while `.reading`, so its limits bound memory.
    var parser: HTTPRequestParser

    /// A connection accepted at `now`: a TLS one starts with its handshake, a plain one reading.
    init(limits: Limits, parser: HTTPRequestParser.Configuration, tls: Bool, now: ContinuousClock.Instant) {
        self.limits = limits
        self.parser = HTTPRequestParser(configuration: parser)
        self.state = tls ? .handshaking(since: now, waitingFor: .read) : .reading(.idle(since: now))
    }

    /// `true` while requests may be read from the socket.
    var isReading: Bool {
        if case .reading = state { return true }
        return false
    }

    /// `true` once closed.
    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }
}
