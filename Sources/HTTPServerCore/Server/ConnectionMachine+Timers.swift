/// Timers and the readiness to watch: both follow from the state alone.
extension ConnectionMachine {
    /// The loop's periodic check at `now`; `draining` closes an idle keep-alive connection at once.
    ///
    /// Only the running state's own timer can fire: the handshake, the header or body read, the
    /// idle wait, or a write the client does not take. A request timer that runs out while
    /// reading answers 408 and closes after it.
    mutating func tick(now: Instant, draining: Bool) -> [Action] {
        switch state {
        case .handshaking(let since, _):
            return now - since > limits.handshake ? close(.handshakeFailed(.timeout)) : []
        case .reading(.idle(let since)):
            return draining || now - since > limits.idle ? close(.idle) : []
        case .reading(.head(let since)):
            return now - since > limits.headerRead ? requestTimedOut(now: now) : []
        case .reading(.body(let since)):
            return now - since > limits.bodyRead ? requestTimedOut(now: now) : []
        case .responding(.streaming(_, _, .some(let since))), .writing(let since, _):
            return now - since > limits.write ? close(.writeTimeout) : []
        case .responding, .closed:
            return []
        }
    }

    /// When the running timer fires, if one runs: what a timer wheel would arm.
    var deadline: Instant? {
        switch state {
        case .handshaking(let since, _): since + limits.handshake
        case .reading(.idle(let since)): since + limits.idle
        case .reading(.head(let since)): since + limits.headerRead
        case .reading(.body(let since)): since + limits.bodyRead
        case .responding(.streaming(_, _, .some(let since))), .writing(let since, _): since + limits.write
        case .responding, .closed: nil
        }
    }

    /// The readiness the driver watches in this state. Reading stops (no `EPOLLIN`) whenever a
    /// request is being answered or written, so input waits in the kernel and cannot grow memory.
    var interest: Interest {
        switch state {
        case .handshaking(_, .read), .reading: .read
        case .handshaking(_, .write), .writing: .write
        case .responding(.streaming(_, _, .some)): .writeAndPeerClose
        case .responding: .peerClose
        case .closed: .none
        }
    }

    private mutating func requestTimedOut(now: Instant) -> [Action] {
        state = .writing(since: now, then: .close(.refused))
        return [.refused(status: 408), .write(HTTPResponse.text(408, "the request was not received in time\n").serialized(keepAlive: false))]
    }
}
