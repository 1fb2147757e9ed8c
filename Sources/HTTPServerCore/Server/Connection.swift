internal import CLinuxShims
import Foundation

/// One accepted connection: TLS handshake (on the TLS listener), HTTP/1.1 requests with
/// keep-alive and pipelining, responses, timeouts. Lives on one event loop thread.
///
/// Timeouts (checked every loop tick): handshake, reading a request's headers, reading its
/// body, writing a response, and an idle keep-alive connection. While the server drains,
/// responses carry `Connection: close` and an idle connection is closed at once.
final class Connection: EventLoopHandler {
    private enum Phase { case handshaking, open, closed }

    private let descriptor: Int32
    private let listener: ListenerRuntime
    private let shared: ServerShared
    private unowned let loop: LoopRuntime
    private var tls: TLSConnection?
    private var phase: Phase
    private var parser: HTTPRequestParser
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var closeAfterFlush = false
    private var readPaused = false
    private var watching: UInt32 = 0
    private let openedAt: ContinuousClock.Instant
    private var lastActivity: ContinuousClock.Instant
    private var requestStarted: ContinuousClock.Instant?
    private var bodyStarted: ContinuousClock.Instant?
    private var writeStarted: ContinuousClock.Instant?
    /// The streamed response being sent; later pipelined requests wait for it.
    private var activeStream: HTTPBodyStream?
    private var streamKeepsAlive = true
    /// The answer being waited for; later pipelined requests wait for it.
    private var activeDeferred: HTTPDeferredResponse?

    /// Responses waiting beyond this stop reading more requests until the client catches up.
    private static let outboundHighWater = 1 << 20
    /// A streamed body the client does not read: beyond this it is cut off, as kube-apiserver
    /// cuts off watchers that fall behind, so one stuck reader cannot grow memory without bound.
    private static let streamBacklogLimit = 16 << 20

    init(descriptor: Int32, listener: ListenerRuntime, loop: LoopRuntime, now: ContinuousClock.Instant) throws(TLSError) {
        self.descriptor = descriptor
        self.listener = listener
        self.shared = loop.shared
        self.loop = loop
        self.parser = HTTPRequestParser(configuration: loop.shared.configuration.parser)
        self.openedAt = now
        self.lastActivity = now
        if let certificates = listener.tls {
            self.tls = try TLSConnection(context: certificates.current, descriptor: descriptor)
            self.phase = .handshaking
        } else {
            self.phase = .open
        }
    }

    /// Starts watching the socket.
    func start() throws(SocketError) {
        watching = UInt32(EPOLLIN.rawValue) | UInt32(EPOLLRDHUP.rawValue)
        try loop.eventLoop.register(descriptor, events: watching, handler: self)
    }

    func handleEvents(_ events: UInt32) {
        if events & UInt32(EPOLLERR.rawValue) != 0 {
            close()
            return
        }
        switch phase {
        case .handshaking: continueHandshake()
        case .open:
            if events & UInt32(EPOLLOUT.rawValue) != 0 { flush() }
            // A writable socket may also unblock a TLS read that wanted to write (key update).
            if phase == .open, !closeAfterFlush, !readPaused {
                readRequests()
            }
        case .closed: break
        }
    }

    // MARK: Handshake

    private func continueHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            phase = .open
            lastActivity = loop.now
            readRequests()  // the client's first request may already be buffered
        case .wantRead: watch(output: false)
        case .wantWrite: watch(output: true)
        case .plainHTTP:
            // Like Go's net/http: tell a person who used http:// what went wrong, in plain text.
            let reply = Array("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n".utf8)
            _ = reply.withUnsafeBytes { try? Socket.write(descriptor, $0) }
            handshakeFailed(.plainHTTP, detail: "plain HTTP on the TLS port")
        case .failed(let reason): handshakeFailed(.protocolError, detail: reason)
        case .closed: handshakeFailed(.closed, detail: "the client closed the connection")
        }
    }

    private func handshakeFailed(_ reason: HandshakeFailure, detail: String) {
        shared.observer.handshakeFailed(listener: listener.name, reason: reason)
        shared.logger.debug("TLS handshake failed", metadata: [
            "listener": "\(listener.name)", "tls.failure": "\(reason.rawValue)", "error": "\(detail)",
        ])
        close()
    }

    // MARK: Reading

    private func readRequests() {
        while phase == .open && !closeAfterFlush {
            if outbound.count - outboundOffset > Self.outboundHighWater {
                readPaused = true
                break
            }
            let progress = loop.withReadBuffer { buffer -> TLSConnection.Progress in
                let progress = readSome(into: buffer)
                if case .done(let count) = progress, count > 0 {
                    parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
                return progress
            }
            switch progress {
            case .done(let count) where count > 0:
                lastActivity = loop.now
                if requestStarted == nil { requestStarted = lastActivity }
                processRequests()
            case .done, .closed:
                // EOF: answer what was read (a half-closed client still gets its responses), then close.
                closeAfterFlush = true
                flush()
                return
            case .wantRead:
                flush()
                return
            case .wantWrite:
                watch(output: true)
                return
            case .failed, .plainHTTP:
                close()
                return
            }
        }
        flush()
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

    private func processRequests() {
        while !closeAfterFlush && activeStream == nil && activeDeferred == nil {
            switch parser.next() {
            case .needMoreData:
                if !parser.hasBufferedBytes { requestStarted = nil }
                if parser.isReadingBody, bodyStarted == nil { bodyStarted = loop.now }
                return
            case .expectContinue:
                bodyStarted = loop.now
                enqueue(HTTPResponse.continueBytes)
            case .request(let request):
                let keepAlive = request.keepAlive && !shared.isDraining
                let response = listener.responder.respond(to: request)
                if let deferred = response.deferred {
                    requestStarted = nil
                    bodyStarted = nil
                    waitForAnswer(deferred, keepAlive: keepAlive)
                    return
                }
                if send(response, keepAlive: keepAlive) { return }
            case .error(let error):
                shared.observer.malformedRequest(listener: listener.name, status: error.status)
                enqueue(HTTPResponse.parseError(error).serialized(keepAlive: false))
                closeAfterFlush = true
            }
        }
    }

    /// Queues `response`; for a streamed one starts streaming and returns `true` (the
    /// connection then waits for the stream's end before the next request).
    private func send(_ response: HTTPResponse, keepAlive: Bool) -> Bool {
        if let stream = response.stream {
            enqueue(response.serializedStreamingHead(keepAlive: keepAlive))
            startStreaming(stream, keepAlive: keepAlive)
            requestStarted = nil
            bodyStarted = nil
            return true
        }
        enqueue(response.serialized(keepAlive: keepAlive))
        requestStarted = parser.hasBufferedBytes ? loop.now : nil
        bodyStarted = nil
        if !keepAlive { closeAfterFlush = true }
        return false
    }

    // MARK: Deferred responses

    private func waitForAnswer(_ deferred: HTTPDeferredResponse, keepAlive: Bool) {
        activeDeferred = deferred
        let target = LoopBound(self)
        let eventLoop = loop.eventLoop
        deferred.attach { response in
            eventLoop.execute { target.connection?.answered(response, from: deferred, keepAlive: keepAlive) }
        }
    }

    private func answered(_ response: HTTPResponse, from deferred: HTTPDeferredResponse, keepAlive: Bool) {
        guard phase == .open, activeDeferred === deferred else { return }
        activeDeferred = nil
        lastActivity = loop.now
        if !send(response, keepAlive: keepAlive) && !closeAfterFlush { processRequests() }
        flush()
    }

    // MARK: Streamed responses

    private func startStreaming(_ stream: HTTPBodyStream, keepAlive: Bool) {
        activeStream = stream
        streamKeepsAlive = keepAlive
        let target = LoopBound(self)
        let eventLoop = loop.eventLoop
        stream.attach { event in
            eventLoop.execute { target.connection?.streamEvent(event, from: stream) }
        }
    }

    private func streamEvent(_ event: HTTPBodyStream.Event, from stream: HTTPBodyStream) {
        guard phase == .open, activeStream === stream else { return }
        switch event {
        case .data(let bytes):
            enqueue(HTTPResponse.chunk(bytes))
            if outbound.count - outboundOffset > Self.streamBacklogLimit {
                close()
                return
            }
            flush()
        case .end:
            enqueue(HTTPResponse.lastChunk)
            activeStream = nil
            if !streamKeepsAlive { closeAfterFlush = true }
            flush()
            if phase == .open && !closeAfterFlush { processRequests() }
            flush()
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

    private func flush() {
        while phase == .open && outboundOffset < outbound.count {
            let progress = outbound.withUnsafeBytes { bytes in
                writeSome(UnsafeRawBufferPointer(rebasing: bytes[outboundOffset...]))
            }
            switch progress {
            case .done(let count):
                outboundOffset += count
            case .wantWrite:
                if writeStarted == nil { writeStarted = loop.now }
                watch(output: true)
                return
            case .wantRead:
                watch(output: false)
                return
            case .closed, .failed, .plainHTTP:
                close()
                return
            }
        }
        guard phase == .open else { return }
        outbound = []
        outboundOffset = 0
        writeStarted = nil
        lastActivity = loop.now
        watch(output: false)
        if closeAfterFlush {
            close()
        } else if readPaused {
            readPaused = false
            readRequests()
        }
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

    /// Level-triggered interest: reading stops (no EPOLLIN/EPOLLRDHUP) while paused for a slow
    /// reader or once the connection is only finishing its last response, so pending input or a
    /// half-closed peer cannot make the loop spin.
    private func watch(output: Bool) {
        var events: UInt32 = 0
        if !readPaused && !closeAfterFlush { events |= UInt32(EPOLLIN.rawValue) | UInt32(EPOLLRDHUP.rawValue) }
        if output { events |= UInt32(EPOLLOUT.rawValue) }
        guard events != watching, phase != .closed else { return }
        watching = events
        loop.eventLoop.modify(descriptor, events: events)
    }

    // MARK: Timeouts and closing

    /// Closes the connection if one of its timers has run out, or if it is idle while draining.
    func checkTimeouts(now: ContinuousClock.Instant) {
        let limits = shared.configuration
        switch phase {
        case .handshaking:
            if now - openedAt > limits.handshakeTimeout { handshakeFailed(.timeout, detail: "handshake timed out") }
        case .open:
            if let writeStarted, now - writeStarted > limits.writeTimeout {
                close()
            } else if let bodyStarted, now - bodyStarted > limits.bodyReadTimeout {
                timedOutReading()
            } else if bodyStarted == nil, let requestStarted, now - requestStarted > limits.headerReadTimeout {
                timedOutReading()
            } else if requestStarted == nil && activeStream == nil && activeDeferred == nil && outboundOffset == outbound.count
                        && (shared.isDraining || now - lastActivity > limits.idleTimeout) {
                close()
            }
        case .closed: break
        }
    }

    private func timedOutReading() {
        shared.observer.malformedRequest(listener: listener.name, status: 408)
        enqueue(HTTPResponse.text(408, "the request was not received in time\n").serialized(keepAlive: false))
        closeAfterFlush = true
        flush()
    }

    /// Closes at once: sends close_notify when TLS is up, frees the slot, forgets the connection.
    func close() {
        guard phase != .closed else { return }
        if phase == .open { tls?.shutdown() }
        phase = .closed
        loop.eventLoop.deregister(descriptor)
        Glibc.close(descriptor)
        tls = nil
        loop.forget(descriptor)
        shared.releaseConnection()
        shared.observer.connectionClosed(listener: listener.name)
        if let stream = activeStream {
            activeStream = nil
            stream.clientClosed()
        }
        if let deferred = activeDeferred {
            activeDeferred = nil
            deferred.clientClosed()
        }
    }
}

/// A connection reference that stream producers on other threads can carry back to the loop.
/// `@unchecked Sendable`: the connection is only dereferenced inside jobs run on its own loop.
private final class LoopBound: @unchecked Sendable {
    weak var connection: Connection?
    init(_ connection: Connection) { self.connection = connection }
}
