import Glibc

/// A connected, non-blocking TCP socket to the tap; owns the descriptor (closed in `deinit`).
///
/// Used from one session thread only (not `Sendable`). Waits happen in `poll(2)` together with the
/// session's `CancellationSignal`, so every wait ends at its deadline or on cancellation.
final class TCPConnection {
    /// The socket.
    let descriptor: Int32
    /// The session's cancellation signal, polled with every wait.
    let cancellation: CancellationSignal

    private init(descriptor: Int32, cancellation: CancellationSignal) {
        self.descriptor = descriptor
        self.cancellation = cancellation
    }

    deinit { close(descriptor) }

    /// Resolves `host` and connects to the first address that answers before `deadline`.
    /// - Throws: `.connectFailed` with the resolver's or the last address's reason, `.timedOut`,
    ///   `.cancelled`.
    static func connect(host: String, port: Int, deadline: Deadline,
                        cancellation: CancellationSignal) throws(TapError) -> TCPConnection {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        // getaddrinfo blocks without a timeout of its own; it runs on the session's thread, never on the
        // concurrency pool, and the caller is released at cancellation or the push deadline regardless
        // (SessionThread); the thread ends when the lookup does.
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectFailed(host: host, port: port, reason: "cannot resolve the name: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastReason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry?.pointee {
            entry = address.ai_next
            let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                            address.ai_protocol)
            guard fd >= 0 else { lastReason = Self.errnoText("socket"); continue }
            let connection = TCPConnection(descriptor: fd, cancellation: cancellation)
            if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return connection }
            guard errno == EINPROGRESS else { lastReason = Self.errnoText("connect"); continue }
            try connection.wait(for: Int16(POLLOUT), until: deadline)
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else {
                lastReason = Self.errnoText("getsockopt"); continue
            }
            if failure == 0 {
                var on: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                return connection
            }
            lastReason = String(cString: strerror(failure))
        }
        throw .connectFailed(host: host, port: port, reason: lastReason)
    }

    /// Waits until the socket is ready for `events` (`POLLIN`, `POLLOUT`), the deadline passes or the
    /// session is cancelled. Readiness for an error or hang-up also returns: the next call reports it.
    /// - Throws: `deadline.error` (`.timedOut`) or `.cancelled`.
    func wait(for events: Int16, until deadline: Deadline) throws(TapError) {
        var entries = [pollfd(fd: descriptor, events: events, revents: 0),
                       pollfd(fd: cancellation.descriptor, events: Int16(POLLIN), revents: 0)]
        while true {
            // While the plan runs, only the socket and the deadline count (see CancellationSignal).
            let count: nfds_t = cancellation.isDeferred ? 1 : 2
            entries[1].revents = 0
            let ready = poll(&entries, count, deadline.remainingMilliseconds())
            if ready < 0 {
                if errno == EINTR { continue }
                throw .sshFailed(stage: deadline.stage, code: errno, message: Self.errnoText("poll"))
            }
            if count == 2, entries[1].revents != 0 { throw .cancelled }
            if entries[0].revents != 0 { return }
            if deadline.remainingMilliseconds() == 0 { throw deadline.error }
        }
    }

    private static func errnoText(_ call: String) -> String {
        "\(call): \(String(cString: strerror(errno)))"
    }
}
