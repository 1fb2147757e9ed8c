internal import CLinuxShims
import FoundationEssentials
import Glibc
import Logging

/// Accepts pending connections of one listener for one loop, pausing per `AcceptBackoff` when
/// `accept` fails. Used only on its loop's thread.
final class Acceptor: EventLoopHandler {
    let listener: ListenerRuntime
    /// Held strongly: the loop's registration table holds this acceptor, and the loop thread drops
    /// both when it ends, so neither can outlive the other.
    private let loop: LoopRuntime
    private var backoff = AcceptBackoff()

    /// Accepting is bounded per wakeup so a connection flood cannot starve open connections.
    private static let acceptsPerWakeup = 64
    /// EPOLLEXCLUSIVE: one loop, not all, wakes for each pending connection.
    private static let events = UInt32(EPOLLIN.rawValue) | UInt32(EPOLLEXCLUSIVE.rawValue)

    /// An acceptor for `listener` on `loop`; it watches nothing until `watch()`.
    init(listener: ListenerRuntime, loop: LoopRuntime) {
        self.listener = listener
        self.loop = loop
    }

    /// Starts watching the listener.
    /// - Throws: `SocketError` when epoll refuses it.
    func watch() throws(SocketError) {
        try loop.eventLoop.register(listener.descriptor, events: Self.events, handler: self)
    }

    /// Stops watching the listener (it is closed by the server afterwards).
    func stopWatching() { loop.eventLoop.deregister(listener.descriptor) }

    /// The listener is readable: accepts what is pending, up to `acceptsPerWakeup`.
    func handleEvents(_ events: UInt32) {
        for _ in 0..<Self.acceptsPerWakeup {
            let descriptor: Int32
            do {
                guard let accepted = try Socket.accept(listener.descriptor) else { return }
                descriptor = accepted
            } catch {
                acceptFailed(error)
                return
            }
            listener.accepted(logger: loop.shared.logger)
            guard loop.shared.reserveConnection() else {
                close(descriptor)
                loop.shared.observer.connectionRefused(listener: listener.name)
                continue
            }
            loop.adopt(descriptor, from: listener)
        }
    }

    /// The loop's periodic check: a paused listener comes back by itself.
    func tick(now: ContinuousClock.Instant) {
        guard backoff.tick(now: now) == .resume else { return }
        do {
            try watch()
        } catch {
            acceptFailed(error)
        }
    }

    /// Out of descriptors or memory (or any other accept failure): the listener leaves the loop
    /// for the backoff, so a level-triggered listener cannot spin the loop; pending clients wait
    /// in the kernel's backlog meanwhile.
    private func acceptFailed(_ error: SocketError) {
        guard backoff.acceptFailed(code: error.code, now: .now) == .pause else { return }
        stopWatching()
        loop.shared.observer.acceptPaused(listener: listener.name)
        listener.acceptFailed(error, pause: backoff.pause, logger: loop.shared.logger)
    }
}
