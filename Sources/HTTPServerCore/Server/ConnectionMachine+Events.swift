/// The machine's events. Each is a `mutating` method named for what happened and returns the
/// actions for the driver, in order. An event that does not apply to the current state (a late
/// stream chunk after a close, a second answer) changes nothing and returns no action.
extension ConnectionMachine {
    typealias Instant = ContinuousClock.Instant

    // MARK: Handshake

    /// The handshake needs the socket to become readable or writable first.
    mutating func handshakeBlocked(waitingFor direction: Direction) {
        guard case .handshaking(let since, _) = state else { return }
        state = .handshaking(since: since, waitingFor: direction)
    }

    /// The handshake completed at `now`; requests may be read (the first may already be buffered).
    mutating func handshakeFinished(now: Instant) {
        guard case .handshaking = state else { return }
        state = .reading(.idle(since: now))
    }

    /// The handshake failed.
    mutating func handshakeFailed(_ reason: HandshakeFailure) -> [Action] {
        guard case .handshaking = state else { return [] }
        return close(.handshakeFailed(reason))
    }

    // MARK: Reading

    /// `bytes` were read at `now`. Parses what is complete: a request is dispatched (and reading
    /// waits for its answer), a refused one is answered and the connection closes after it.
    mutating func bytesRead(_ bytes: UnsafeRawBufferPointer, now: Instant) -> [Action] {
        guard case .reading(let phase) = state else { return [] }
        parser.append(bytes)
        if case .idle = phase { state = .reading(.head(since: now)) }
        return parseNext(now: now)
    }

    /// The peer closed its sending side (EOF, `EPOLLRDHUP`) at `now`.
    ///
    /// A half-closed client still gets the answers to requests it sent (they were dispatched
    /// before the EOF could be read); a client that leaves while an answer is produced is gone.
    mutating func peerClosed() -> [Action] {
        switch state {
        case .handshaking: return close(.handshakeFailed(.closed))
        case .reading, .responding: return close(.peerClosed)
        case .writing(let since, _):
            state = .writing(since: since, then: .close(.peerClosed))
            return []
        case .closed: return []
        }
    }

    /// The socket failed (an error from read or write, `EPOLLERR`, `EPOLLHUP`).
    mutating func socketFailed() -> [Action] { close(.socketError) }

    /// The server closes the connection now (shutdown, or its socket can no longer be watched).
    mutating func shutDown() -> [Action] { close(.shutdown) }

    // MARK: Answers

    /// The responder answered the dispatched request; `draining` makes it the last on this connection.
    mutating func responseReady(_ response: HTTPResponse, now: Instant, draining: Bool) -> [Action] {
        guard case .responding(.dispatched(let requestKeepAlive)) = state else { return [] }
        let keepAlive = requestKeepAlive && !draining
        if let deferred = response.deferred {
            state = .responding(.awaiting(keepAlive: keepAlive, deferred: deferred))
            return [.awaitAnswer(deferred)]
        }
        return answer(response, keepAlive: keepAlive, now: now)
    }

    /// A deferred answer arrived (on the loop) at `now`.
    mutating func deferredAnswered(_ response: HTTPResponse, from deferred: HTTPDeferredResponse, now: Instant) -> [Action] {
        guard case .responding(.awaiting(let keepAlive, let awaited)) = state, awaited === deferred else { return [] }
        return answer(response, keepAlive: keepAlive, now: now)
    }

    /// The stream produced `bytes`; `unsent` bytes are still queued in the driver.
    mutating func streamData(_ bytes: [UInt8], from stream: HTTPBodyStream, unsent: Int) -> [Action] {
        guard case .responding(.streaming(_, let current, _)) = state, current === stream else { return [] }
        if unsent + bytes.count > limits.streamBacklog { return close(.streamBacklog) }
        return [.write(HTTPResponse.chunk(bytes))]
    }

    /// The stream finished at `now`: the last chunk, then the next request (or the close).
    mutating func streamEnded(_ stream: HTTPBodyStream, now: Instant) -> [Action] {
        guard case .responding(.streaming(let keepAlive, let current, _)) = state, current === stream else { return [] }
        state = .writing(since: now, then: keepAlive ? .readNext : .close(.finished))
        return [.write(HTTPResponse.lastChunk)]
    }

    // MARK: Writing

    /// Everything queued has been written (reported after each `.write`, and when a blocked
    /// socket drains). Resumes what waited for it.
    mutating func writeSettled(now: Instant) -> [Action] {
        switch state {
        case .writing(_, .readNext):
            state = .reading(.idle(since: now))
            return parseNext(now: now)
        case .writing(_, .close(let reason)):
            return close(reason)
        case .responding(.streaming(let keepAlive, let stream, .some)):
            state = .responding(.streaming(keepAlive: keepAlive, stream: stream, blockedSince: nil))
            return []
        default:
            return []
        }
    }

    /// The socket took only part of what is queued (or TLS must write before it can read) at `now`.
    mutating func writeBlocked(now: Instant) {
        switch state {
        case .responding(.streaming(let keepAlive, let stream, nil)):
            state = .responding(.streaming(keepAlive: keepAlive, stream: stream, blockedSince: now))
        case .reading:
            // TLS wants to write before it can read: reading waits for the socket to drain, and the
            // request timers start again after it (the wait is ours, not the client's).
            state = .writing(since: now, then: .readNext)
        default:
            break
        }
    }

    // MARK: Helpers

    /// Parses the next buffered request, if any; called only in `.reading`.
    private mutating func parseNext(now: Instant) -> [Action] {
        switch parser.next() {
        case .needMoreData:
            guard case .reading(let phase) = state else { return [] }
            state = .reading(Self.phase(after: phase, parser: parser, now: now))
            return []
        case .expectContinue:
            state = .writing(since: now, then: .readNext)
            return [.write(HTTPResponse.continueBytes)]
        case .request(let request):
            state = .responding(.dispatched(keepAlive: request.keepAlive))
            return [.dispatch(request)]
        case .error(let error):
            state = .writing(since: now, then: .close(.refused))
            return [.refused(status: error.status), .write(HTTPResponse.parseError(error).serialized(keepAlive: false))]
        }
    }

    /// The read phase once the parser waits for more bytes: a timer keeps its start while its
    /// phase goes on, and starts at `now` when a phase begins.
    private static func phase(after previous: ReadPhase, parser: HTTPRequestParser, now: Instant) -> ReadPhase {
        if parser.isReadingBody {
            if case .body = previous { return previous }
            return .body(since: now)
        }
        guard parser.hasBufferedBytes else {
            if case .idle = previous { return previous }
            return .idle(since: now)
        }
        if case .head = previous { return previous }
        return .head(since: now)
    }

    private mutating func answer(_ response: HTTPResponse, keepAlive: Bool, now: Instant) -> [Action] {
        if let stream = response.stream {
            state = .responding(.streaming(keepAlive: keepAlive, stream: stream, blockedSince: nil))
            return [.write(response.serializedStreamingHead(keepAlive: keepAlive)), .startStream(stream)]
        }
        state = .writing(since: now, then: keepAlive ? .readNext : .close(.finished))
        return [.write(response.serialized(keepAlive: keepAlive))]
    }

    /// Closes, telling a producer still at work that its client is gone.
    mutating func close(_ reason: CloseReason) -> [Action] {
        var actions: [Action] = []
        switch state {
        case .closed: return []
        case .responding(.streaming(_, let stream, _)): actions.append(.abandonStream(stream))
        case .responding(.awaiting(_, let deferred)): actions.append(.abandonAnswer(deferred))
        default: break
        }
        state = .closed
        actions.append(.close(reason))
        return actions
    }
}
