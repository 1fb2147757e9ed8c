internal import CLinuxShims
import Foundation

/// What one event loop of a server owns: its connections, a read buffer, the current tick time.
/// Used only on that loop's thread.
final class LoopRuntime {
    let eventLoop: EventLoop
    let shared: ServerShared
    private var connections: [Int32: Connection] = [:]
    private var acceptors: [Acceptor] = []
    private var readBuffer: UnsafeMutableRawBufferPointer
    /// The loop's notion of now, refreshed every tick and on every accept: timestamps need no
    /// more precision than the timeouts they feed.
    private(set) var now: ContinuousClock.Instant

    /// TLS records are at most 16 KiB; a few of them per read keeps syscalls few.
    private static let readBufferSize = 64 * 1024

    init(eventLoop: EventLoop, shared: ServerShared) {
        self.eventLoop = eventLoop
        self.shared = shared
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        self.now = ContinuousClock.now
    }

    deinit { readBuffer.deallocate() }

    /// Lends the loop's read buffer; the bytes are valid only inside `body`.
    func withReadBuffer<T>(_ body: (UnsafeMutableRawBufferPointer) -> T) -> T { body(readBuffer) }

    /// Starts accepting on `listener` in this loop, and the timeout checks.
    func start(listeners: [ListenerRuntime]) throws(SocketError) {
        for listener in listeners {
            let acceptor = Acceptor(listener: listener, loop: self)
            // EPOLLEXCLUSIVE: one loop, not all, wakes for each pending connection.
            try eventLoop.register(listener.descriptor, events: UInt32(EPOLLIN.rawValue) | UInt32(EPOLLEXCLUSIVE.rawValue),
                                   handler: acceptor)
            acceptors.append(acceptor)
        }
        eventLoop.onTick { [unowned self] now in
            self.now = now
            for connection in Array(connections.values) { connection.checkTimeouts(now: now) }
        }
    }

    /// Takes over an accepted socket.
    func adopt(_ descriptor: Int32, from listener: ListenerRuntime) {
        now = ContinuousClock.now
        do {
            let connection = try Connection(descriptor: descriptor, listener: listener, loop: self, now: now)
            connections[descriptor] = connection
            shared.observer.connectionOpened(listener: listener.name)
            do {
                try connection.start()
            } catch {
                connection.close()
            }
        } catch {
            shared.logger.error("failed to set up connection", metadata: ["listener": "\(listener.name)", "error": "\(error)"])
            close(descriptor)
            shared.releaseConnection()
        }
    }

    /// Drops a closed connection.
    func forget(_ descriptor: Int32) { connections[descriptor] = nil }

    /// Stops accepting on every listener (their sockets are closed by the server afterwards).
    func stopAccepting() {
        for acceptor in acceptors { eventLoop.deregister(acceptor.listener.descriptor) }
        acceptors.removeAll()
    }

    /// Closes every connection at once: the end of the shutdown grace.
    func closeAll() {
        for connection in Array(connections.values) { connection.close() }
    }
}

/// Accepts pending connections of one listener for one loop.
final class Acceptor: EventLoopHandler {
    let listener: ListenerRuntime
    private unowned let loop: LoopRuntime

    /// Accepting is bounded per wakeup so a connection flood cannot starve open connections.
    private static let acceptsPerWakeup = 64

    init(listener: ListenerRuntime, loop: LoopRuntime) {
        self.listener = listener
        self.loop = loop
    }

    func handleEvents(_ events: UInt32) {
        for _ in 0..<Self.acceptsPerWakeup {
            let descriptor: Int32
            do {
                guard let accepted = try Socket.accept(listener.descriptor) else { return }
                descriptor = accepted
            } catch {
                // EMFILE and friends: log and let the next wakeup retry; open connections go on.
                loop.shared.logger.error("failed to accept connection", metadata: ["listener": "\(listener.name)", "error": "\(error)"])
                return
            }
            guard loop.shared.reserveConnection() else {
                close(descriptor)
                loop.shared.observer.connectionRefused(listener: listener.name)
                continue
            }
            loop.adopt(descriptor, from: listener)
        }
    }
}

/// A bound listening socket and what serves it.
final class ListenerRuntime: Sendable {
    let name: String
    let descriptor: Int32
    let port: UInt16
    let tls: CertificateStore?
    let responder: any HTTPResponder

    init(name: String, descriptor: Int32, port: UInt16, tls: CertificateStore?, responder: any HTTPResponder) {
        self.name = name
        self.descriptor = descriptor
        self.port = port
        self.tls = tls
        self.responder = responder
    }
}
