import FoundationEssentials
import Glibc
import Logging
import Synchronization

/// Our own HTTP/1.1 server over OpenSSL and epoll: a few event-loop threads share the
/// listening sockets and serve every connection without blocking, so a thousand slow or idle
/// clients cost a thousand small structs, not a thousand threads, and never delay a request
/// that is ready.
///
/// Lifecycle: `start()` binds and serves; `stopAccepting()` closes the listeners; `startDraining()`
/// makes every response `Connection: close` and closes idle connections; `shutdown()` closes
/// what is left and ends the threads. A server dropped while running (no `shutdown()`) stops its
/// loops the same way, without waiting: each loop thread owns what it runs, so nothing is freed
/// under it.
public final class HTTPServer: Sendable {
    /// Limits and timers; each default says where it comes from.
    public struct Configuration: Sendable {
        /// Open connections across all listeners; more are accepted and closed at once
        /// (`--max-connections`, default 1024).
        public var maxConnections = 1024
        /// A TLS handshake must finish within this (default 5 s); a stalled one is dropped and counted.
        public var handshakeTimeout: Duration = .seconds(5)
        /// A request's headers must arrive within this of its first byte (default 5 s, slowloris guard).
        public var headerReadTimeout: Duration = .seconds(5)
        /// Its body within this of the end of its headers (default 30 s: 7 MiB on a slow link).
        public var bodyReadTimeout: Duration = .seconds(30)
        /// A keep-alive connection with nothing to do is closed after this (default 120 s: longer
        /// than the 90 s after which kube-apiserver closes its idle connections itself).
        public var idleTimeout: Duration = .seconds(120)
        /// A response must be taken by the client within this (default 30 s).
        public var writeTimeout: Duration = .seconds(30)
        /// A streamed body the client does not read is cut off beyond this many unsent bytes
        /// (default 16 MiB, as kube-apiserver cuts off watchers that fall behind).
        public var streamBacklogBytes = 16 << 20
        /// Header and body size limits (16 KiB → 431, 7 MiB → 413).
        public var parser = HTTPRequestParser.Configuration()
        /// Event-loop threads (default: one per core).
        public var eventLoopCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
        /// Resolution of all timeouts (default 250 ms).
        public var tickInterval: Duration = .milliseconds(250)

        public init() {}

        /// The per-connection timers and bounds the connection machine enforces.
        var connectionLimits: ConnectionMachine.Limits {
            ConnectionMachine.Limits(handshake: handshakeTimeout, headerRead: headerReadTimeout, bodyRead: bodyReadTimeout,
                                     idle: idleTimeout, write: writeTimeout, streamBacklog: streamBacklogBytes)
        }
    }

    /// One address to serve, with or without TLS.
    public struct Listener: Sendable {
        /// Name for logs and metric labels: `webhook`, `probes`.
        public var name: String
        public var address: ListenAddress
        /// The serving certificate; `nil` serves plain HTTP.
        public var tls: CertificateStore?
        public var responder: any HTTPResponder

        public init(name: String, address: ListenAddress, tls: CertificateStore?, responder: any HTTPResponder) {
            self.name = name
            self.address = address
            self.tls = tls
            self.responder = responder
        }
    }

    private let shared: ServerShared
    private let listenerSpecs: [Listener]
    private let running = Mutex<(loops: [LoopState], listeners: [ListenerRuntime])>(([], []))

    /// A loop and its runtime; the runtime is touched only on the loop's thread.
    private struct LoopState: @unchecked Sendable {
        // Invariant: `runtime` is used only inside jobs executed on `loop` (or before it starts).
        let loop: EventLoop
        let runtime: LoopRuntime
    }

    deinit {
        // Dropped without `shutdown()`: each loop stops watching its listeners, closes its
        // connections and ends on its own thread (its stop actions), then lets go of everything it
        // held; the listening sockets close when the last loop lets go of them.
        let (loops, _) = running.withLock { $0 }
        for state in loops { state.loop.stop() }
    }

    public init(configuration: Configuration = .init(), listeners: [Listener], observer: any HTTPServerObserver,
                logger: Logger) {
        self.shared = ServerShared(configuration: configuration, observer: observer, logger: logger)
        self.listenerSpecs = listeners
    }

    /// Binds every listener and starts the loops.
    /// - Returns: the bound port of each listener, by name (the real port when 0 was asked for).
    /// - Throws: `SocketError` when an address cannot be bound; nothing is left running then.
    @discardableResult
    public func start() throws(SocketError) -> [String: UInt16] {
        // OpenSSL writes to sockets with write(2), which raises SIGPIPE when the peer has gone;
        // that must be an error return, never the end of the process.
        signal(SIGPIPE, SIG_IGN)
        var listeners: [ListenerRuntime] = []
        var loops: [LoopState] = []
        do throws(SocketError) {
            for spec in listenerSpecs {
                let (descriptor, port) = try Socket.listen(on: spec.address)
                listeners.append(ListenerRuntime(name: spec.name, descriptor: descriptor, port: port,
                                                 tls: spec.tls, responder: spec.responder))
            }
            for index in 0..<shared.configuration.eventLoopCount {
                let loop = try EventLoop(tickInterval: shared.configuration.tickInterval)
                let runtime = LoopRuntime(eventLoop: loop, shared: shared)
                var failure: SocketError?
                do throws(SocketError) { try runtime.start(listeners: listeners) } catch { failure = error }
                // Started even when its listeners failed: `stop()` then undoes them on its own thread.
                loop.start(name: "troxileia-http-\(index)")
                loops.append(LoopState(loop: loop, runtime: runtime))
                if let failure { throw failure }
            }
        } catch {
            // Each listener closes when the last loop watching it has stopped and let go of it (or
            // at once when none did): closing it here could hand its number to a new socket while
            // a loop still has an event queued for the old one.
            for state in loops { state.loop.stop() }
            throw error
        }
        running.withLock { $0 = (loops, listeners) }
        return Dictionary(listeners.map { ($0.name, $0.port) }) { first, _ in first }
    }

    /// Open connections right now, across listeners.
    public var connectionCount: Int { shared.connectionCount }

    /// Stops accepting new connections and closes the listening sockets.
    public func stopAccepting() async {
        let (loops, listeners) = running.withLock { $0 }
        await onEveryLoop(loops) { $0.stopAccepting() }
        for listener in listeners { listener.close() }
        running.withLock { $0.listeners = [] }
    }

    /// From now on responses carry `Connection: close` and idle connections close at the next tick.
    public func startDraining() { shared.startDraining() }

    /// Closes every connection and ends the loop threads.
    public func shutdown() async {
        let (loops, listeners) = running.withLock { $0 }
        await onEveryLoop(loops) {
            $0.stopAccepting()
            $0.closeAll()
        }
        for listener in listeners { listener.close() }
        for state in loops {
            state.loop.stop()
            await state.loop.waitUntilFinished()
        }
        running.withLock { $0 = ([], []) }
    }

    /// Runs `body` on each loop thread and waits for all of them.
    private func onEveryLoop(_ loops: [LoopState], _ body: @escaping @Sendable (LoopRuntime) -> Void) async {
        for state in loops {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.loop.execute {
                    body(state.runtime)
                    continuation.resume()
                }
            }
        }
    }
}
