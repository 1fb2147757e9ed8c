import FoundationEssentials
import Glibc

/// What one event loop of a server owns: its connections, its acceptors, a read buffer, the current
/// tick time. Used only on that loop's thread.
///
/// Ownership: the loop thread holds its `EventLoop`, whose tick and stop actions hold this runtime,
/// which holds its connections and acceptors, which hold it back. When the loop ends it closes
/// every connection and lets go of its actions and registrations, so the whole graph goes with the
/// thread: nothing is `unowned`, and dropping the server without `shutdown()` only stops the loops.
final class LoopRuntime {
    /// The loop this runtime runs on.
    let eventLoop: EventLoop
    /// What every loop of the server shares.
    let shared: ServerShared
    private var connections: [Int32: Connection] = [:]
    private var acceptors: [Acceptor] = []
    private var readBuffer: UnsafeMutableRawBufferPointer
    /// The loop's notion of now, refreshed every tick and on every accept: timestamps need no
    /// more precision than the timeouts they feed.
    private(set) var now: ContinuousClock.Instant

    /// TLS records are at most 16 KiB; a few of them per read keeps syscalls few.
    private static let readBufferSize = 64 * 1024

    /// The runtime of `eventLoop`, serving for the server that `shared` describes.
    init(eventLoop: EventLoop, shared: ServerShared) {
        self.eventLoop = eventLoop
        self.shared = shared
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        self.now = ContinuousClock.now
    }

    deinit { readBuffer.deallocate() }

    /// Lends the loop's read buffer; the bytes are valid only inside `body`.
    func withReadBuffer<T>(_ body: (UnsafeMutableRawBufferPointer) -> T) -> T { body(readBuffer) }

    /// Starts accepting on `listeners` in this loop, the timeout checks, and the close at the end.
    /// - Throws: `SocketError` when epoll refuses a listener; what was registered stays until the loop stops.
    func start(listeners: [ListenerRuntime]) throws(SocketError) {
        eventLoop.onTick { [self] now in tick(now: now) }
        eventLoop.onStop { [self] in
            stopAccepting()
            closeAll()
        }
        for listener in listeners {
            let acceptor = Acceptor(listener: listener, loop: self)
            acceptors.append(acceptor)
            try acceptor.watch()
        }
    }

    private func tick(now: ContinuousClock.Instant) {
        self.now = now
        for acceptor in acceptors { acceptor.tick(now: now) }
        let draining = shared.isDraining
        for connection in Array(connections.values) { connection.tick(now: now, draining: draining) }
    }

    /// Takes over an accepted socket (its connection slot is already reserved).
    func adopt(_ descriptor: Int32, from listener: ListenerRuntime) {
        now = ContinuousClock.now
        let connection: Connection
        do {
            connection = try Connection(descriptor: descriptor, listener: listener, loop: self, now: now)
        } catch {
            shared.logger.error("failed to set up connection", metadata: ["listener": "\(listener.name)", "error": "\(error)"])
            close(descriptor)
            shared.releaseConnection()
            return
        }
        connections[descriptor] = connection
        shared.observer.connectionOpened(listener: listener.name)
        connection.start()
    }

    /// Drops a closed connection.
    func forget(_ descriptor: Int32) { connections[descriptor] = nil }

    /// The open connection on `descriptor`, if any (for tests and diagnostics).
    func connection(on descriptor: Int32) -> Connection? { connections[descriptor] }

    /// Open connections on this loop.
    var connectionCount: Int { connections.count }

    /// Stops accepting on every listener (their sockets are closed by the server afterwards).
    func stopAccepting() {
        for acceptor in acceptors { acceptor.stopWatching() }
        acceptors.removeAll()
    }

    /// Closes every connection at once: the end of the shutdown grace, or of the loop.
    func closeAll() {
        for connection in Array(connections.values) { connection.shutDown() }
    }
}
