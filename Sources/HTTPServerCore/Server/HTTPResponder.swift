/// Answers one parsed request. Called on an event-loop thread, so it must not block: the
/// admission decision and the probes are pure, bounded, in-memory work.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse
}

/// Why a TLS handshake did not complete.
public enum HandshakeFailure: String, Sendable, CaseIterable {
    /// The client did not finish within the handshake timeout.
    case timeout
    /// A TLS protocol error (bad version, no shared cipher, garbage bytes).
    case protocolError = "protocol_error"
    /// Plain HTTP sent to the TLS port.
    case plainHTTP = "plain_http"
    /// The client closed the connection before finishing.
    case closed
}

/// Server-level events for metrics. Called on event-loop threads; must be cheap and non-blocking.
public protocol HTTPServerObserver: Sendable {
    func connectionOpened(listener: String)
    func connectionClosed(listener: String)
    /// A connection beyond `maxConnections`, closed at once.
    func connectionRefused(listener: String)
    func handshakeFailed(listener: String, reason: HandshakeFailure)
    /// A request that could not be parsed, answered with `status` and closed.
    func malformedRequest(listener: String, status: Int)
    /// `accept` failed (out of descriptors or memory): the listener pauses for a backoff.
    func acceptPaused(listener: String)
}

/// An observer that records nothing, for servers without metrics (the API stand-in, test peers).
public struct SilentServerObserver: HTTPServerObserver {
    /// An observer that ignores every event.
    public init() {}
    public func connectionOpened(listener: String) {}
    public func connectionClosed(listener: String) {}
    public func connectionRefused(listener: String) {}
    public func handshakeFailed(listener: String, reason: HandshakeFailure) {}
    public func malformedRequest(listener: String, status: Int) {}
    public func acceptPaused(listener: String) {}
}
