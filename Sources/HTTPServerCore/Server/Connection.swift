internal import CLinuxShims
import FoundationEssentials
import Glibc

/// One accepted connection's I/O: the socket, its TLS session and the bytes waiting to be written.
/// Every decision (what to read, answer, write, when to time out or close) is the
/// `ConnectionMachine`'s; this driver feeds it what happened and carries out its actions. Lives on
/// one event loop thread.
final class Connection: EventLoopHandler {
    private let descriptor: Int32
    private let listener: ListenerRuntime
    /// Held strongly: the loop holds this connection until it closes (`forget`), and the loop
    /// thread closes every connection before it ends.
    private let loop: LoopRuntime
    private var tls: TLSConnection?
    private var machine: ConnectionMachine
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    /// The epoll events currently registered.
    private var watching: UInt32 = 0
    /// Whether the descriptor is still ours (the machine may be closed a moment before the socket).
    private var socketOpen = true
    /// OpenSSL's reason for a failed handshake, for the debug log.
    private var handshakeDetail = ""

    /// Reads per wakeup before other connections get their turn (level-triggered: the rest waits).
    private static let readsPerWakeup = 16

    /// A connection accepted at `now` on `descriptor`, which it owns from here on.
    /// - Throws: `TLSError` when OpenSSL cannot make a session for it (the caller closes the socket).
    init(descriptor: Int32, listener: ListenerRuntime, loop: LoopRuntime, now: ContinuousClock.Instant) throws(TLSError) {
        self.descriptor = descriptor
        self.listener = listener
        self.loop = loop
        let configuration = loop.shared.configuration
        self.machine = ConnectionMachine(limits: configuration.connectionLimits, parser: configuration.parser,
                                         tls: listener.tls != nil, now: now)
        if let certificates = listener.tls {
            self.tls = try TLSConnection(context: certificates.current, descriptor: descriptor)
        }
    }

    /// Starts watching the socket; a socket epoll refuses is closed at once.
    func start() {
        let events = Self.events(for: machine.interest)
        do {
            try loop.eventLoop.register(descriptor, events: events, handler: self)
            watching = events
        } catch {
            loop.shared.logger.debug("failed to watch connection", metadata: ["listener": "\(listener.name)", "error": "\(error)"])
            run(machine.shutDown())
        }
    }

    // MARK: Events from the loop

    /// Readiness from epoll: errors close, the handshake advances, output drains, input is read.
    func handleEvents(_ events: UInt32) {
        if events & (UInt32(EPOLLERR.rawValue) | UInt32(EPOLLHUP.rawValue)) != 0 {
            run(machine.socketFailed())
            return
        }
        let wasReading = machine.isReading
        if case .handshaking = machine.state {
            continueHandshake()
        } else {
            if events & UInt32(EPOLLOUT.rawValue) != 0 { run(flush()) }
            if !machine.isReading, events & UInt32(EPOLLRDHUP.rawValue) != 0 { run(machine.peerClosed()) }
        }
        let readable = events & (UInt32(EPOLLIN.rawValue) | UInt32(EPOLLRDHUP.rawValue)) != 0
        settle(wasReading: wasReading && !readable)
    }

    /// The loop's periodic check.
    func tick(now: ContinuousClock.Instant, draining: Bool) {
        let wasReading = machine.isReading
        run(machine.tick(now: now, draining: draining))
        settle(wasReading: wasReading)
    }

    /// Closes at once (shutdown, end of the loop).
    func shutDown() { run(machine.shutDown()) }

    private func streamEvent(_ event: HTTPBodyStream.Event, from stream: HTTPBodyStream) {
        let wasReading = machine.isReading
        switch event {
        case .data(let bytes): run(machine.streamData(bytes, from: stream, unsent: outbound.count - outboundOffset))
        case .end: run(machine.streamEnded(stream, now: loop.now))
        }
        settle(wasReading: wasReading)
    }

    private func answered(_ response: HTTPResponse, from deferred: HTTPDeferredResponse) {
        let wasReading = machine.isReading
        run(machine.deferredAnswered(response, from: deferred, now: loop.now))
        settle(wasReading: wasReading)
    }

    /// After an event: read if the machine has just started reading (what waited in the kernel
    /// or in TLS's buffer meanwhile raised no new readiness) or the socket is readable, then
    /// watch what it now waits for. `wasReading`: it was reading before the event and the socket
    /// did not report input, so there is nothing new to read.
    private func settle(wasReading: Bool) {
        if machine.isReading && !wasReading { readRequests() }
        guard socketOpen else { return }
        let wanted = Self.events(for: machine.interest)
        guard wanted != watching else { return }
        do {
            try loop.eventLoop.modify(descriptor, events: wanted)
            watching = wanted
        } catch {
            // A connection the loop cannot watch would hang until its timers: close it cleanly now.
            loop.shared.logger.debug("failed to watch connection", metadata: ["listener": "\(listener.name)", "error": "\(error)"])
            run(machine.shutDown())
        }
    }

    // MARK: Carrying out actions

    /// Carries out `initial` and everything the machine asks for while doing so, in order.
    private func run(_ initial: [ConnectionMachine.Action]) {
        var actions = initial
        var index = 0
        while index < actions.count {
            let action = actions[index]
            index += 1
            switch action {
            case .dispatch(let request):
                let response = listener.responder.respond(to: request)
                actions += machine.responseReady(response, now: loop.now, draining: loop.shared.isDraining)
            case .write(let bytes):
                guard socketOpen else { continue }
                enqueue(bytes)
                actions += flush()
            case .startStream(let stream):
                let target = LoopBound(self)
                let eventLoop = loop.eventLoop
                stream.attach { event in eventLoop.execute { target.connection?.streamEvent(event, from: stream) } }
            case .awaitAnswer(let deferred):
                let target = LoopBound(self)
                let eventLoop = loop.eventLoop
                deferred.attach { response in eventLoop.execute { target.connection?.answered(response, from: deferred) } }
            case .refused(let status):
                loop.shared.observer.malformedRequest(listener: listener.name, status: status)
            case .abandonStream(let stream):
                stream.clientClosed()
            case .abandonAnswer(let deferred):
                deferred.clientClosed()
            case .close(let reason):
                closeSocket(reason)
            }
        }
    }

    // MARK: Reading

    private func continueHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done: machine.handshakeFinished(now: loop.now)
        case .wantRead: machine.handshakeBlocked(waitingFor: .read)
        case .wantWrite: machine.handshakeBlocked(waitingFor: .write)
        case .plainHTTP:
            // Like Go's net/http: tell a person who used http:// what went wrong, in plain text.
            let reply = Array("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n".utf8)
            _ = reply.withUnsafeBytes { try? Socket.write(descriptor, $0) }
            handshakeDetail = "plain HTTP on the TLS port"
            run(machine.handshakeFailed(.plainHTTP))
        case .failed(let reason):
            handshakeDetail = reason
            run(machine.handshakeFailed(.protocolError))
        case .closed:
            handshakeDetail = "the client closed the connection"
            run(machine.handshakeFailed(.closed))
        }
    }

    /// Reads while the machine lets in requests, a bounded number of times per wakeup.
    private func readRequests() {
        for _ in 0..<Self.readsPerWakeup where machine.isReading && socketOpen {
            let (progress, actions) = loop.withReadBuffer { buffer -> (TLSConnection.Progress, [ConnectionMachine.Action]) in
                let progress = readSome(into: buffer)
                guard case .done(let count) = progress, count > 0 else { return (progress, []) }
                return (progress, machine.bytesRead(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), now: loop.now))
            }
            switch progress {
            case .done(let count) where count > 0: run(actions)
            case .done, .closed: run(machine.peerClosed())
            case .wantRead: return
            case .wantWrite: machine.writeBlocked(now: loop.now)
            case .failed, .plainHTTP: run(machine.socketFailed())
            }
        }
    }

    private func readSome(into buffer: UnsafeMutableRawBufferPointer) -> TLSConnection.Progress {
        if let tls { return tls.read(into: buffer) }
        do {
            guard let count = try Socket.read(descriptor, into: buffer) else { return .wantRead }
            return count == 0 ? .closed : .done(count)
        } catch {
            return .failed(error.description)
        }
    }

    // MARK: Writing

    private func enqueue(_ bytes: [UInt8]) {
        if outboundOffset == outbound.count {
            outbound = bytes
            outboundOffset = 0
        } else {
            outbound.append(contentsOf: bytes)
        }
    }

    /// Writes what the socket takes and tells the machine how it went.
    private func flush() -> [ConnectionMachine.Action] {
        while socketOpen && outboundOffset < outbound.count {
            let progress = outbound.withUnsafeBytes { bytes in
                writeSome(UnsafeRawBufferPointer(rebasing: bytes[outboundOffset...]))
            }
            switch progress {
            case .done(let count):
                outboundOffset += count
            case .wantWrite:
                machine.writeBlocked(now: loop.now)
                return []
            case .wantRead, .closed, .failed, .plainHTTP:
                // A TLS write that must read first needs renegotiation, which is disabled.
                return machine.socketFailed()
            }
        }
        guard socketOpen else { return [] }
        outbound = []
        outboundOffset = 0
        return machine.writeSettled(now: loop.now)
    }

    private func writeSome(_ bytes: UnsafeRawBufferPointer) -> TLSConnection.Progress {
        if let tls { return tls.write(bytes) }
        do {
            guard let count = try Socket.write(descriptor, bytes) else { return .wantWrite }
            return .done(count)
        } catch {
            return .failed(error.description)
        }
    }

    // MARK: Closing

    /// Sends close_notify after a finished TLS exchange, frees the slot, forgets the connection.
    private func closeSocket(_ reason: ConnectionMachine.CloseReason) {
        guard socketOpen else { return }
        socketOpen = false
        switch reason {
        case .handshakeFailed(let failure):
            loop.shared.observer.handshakeFailed(listener: listener.name, reason: failure)
            loop.shared.logger.debug("TLS handshake failed", metadata: [
                "listener": "\(listener.name)", "tls.failure": "\(failure.rawValue)",
                "error": "\(failure == .timeout ? "handshake timed out" : handshakeDetail)",
            ])
        case .socketError:
            break
        default:
            tls?.shutdown()
        }
        loop.eventLoop.deregister(descriptor)
        Glibc.close(descriptor)
        tls = nil
        loop.forget(descriptor)
        loop.shared.releaseConnection()
        loop.shared.observer.connectionClosed(listener: listener.name)
    }

    /// The epoll events for `interest`. Level-triggered: reading stops (no `EPOLLIN`) whenever the
    /// machine is not reading, so pending input cannot make the loop spin.
    private static func events(for interest: ConnectionMachine.Interest) -> UInt32 {
        let input = UInt32(EPOLLIN.rawValue), output = UInt32(EPOLLOUT.rawValue), peerClose = UInt32(EPOLLRDHUP.rawValue)
        switch interest {
        case .read: return input | peerClose
        case .peerClose: return peerClose
        case .write: return output
        case .writeAndPeerClose: return output | peerClose
        case .none: return 0
        }
    }
}

/// A connection reference that stream producers on other threads can carry back to the loop.
/// `@unchecked Sendable`: the connection is only dereferenced inside jobs run on its own loop.
private final class LoopBound: @unchecked Sendable {
    weak var connection: Connection?
    init(_ connection: Connection) { self.connection = connection }
}
