internal import CLibSSH2
internal import CLibSSH2Shims
import Glibc

/// One libssh2 session over a `TCPConnection` (STYLE.md: one `final class` per C handle, the child
/// holds its parent). Non-blocking: every call that would block waits in `poll(2)` for the direction
/// libssh2 names, under a `Deadline` and the session's cancellation signal, on the session's own
/// thread. Not `Sendable`: used from that one thread.
final class SSHSession {
    /// The socket, kept alive as long as the session.
    let connection: TCPConnection
    let handle: OpaquePointer

    /// libssh2's global state, set up once per process before the first session.
    private static let libraryReady: Int32 = libssh2_init(0)

    /// A session on `connection`, not yet handshaken.
    /// - Throws: `.sshFailed` when libssh2 cannot be initialised or allocate a session.
    init(connection: TCPConnection) throws(TapError) {
        guard Self.libraryReady == 0 else {
            throw .sshFailed(stage: "initialise libssh2", code: Self.libraryReady, message: "libssh2_init failed")
        }
        guard let handle = CShims_libssh2_session_init() else {
            throw .sshFailed(stage: "create an SSH session", code: 0, message: "out of memory")
        }
        self.connection = connection
        self.handle = handle
        libssh2_session_set_blocking(handle, 0)
    }

    deinit {
        // Teardown blocks for at most a second per call: the peer may be gone.
        libssh2_session_set_timeout(handle, 1000)
        libssh2_session_set_blocking(handle, 1)
        _ = CShims_libssh2_session_disconnect(handle, "Troxileia session done")
        // Without a peer, libssh2_session_free would wait for channel closes, time out and free nothing
        // (libssh2 1.10); with the socket shut, its reads end at once and everything is freed.
        _ = shutdown(connection.descriptor, Int32(SHUT_RDWR))
        _ = libssh2_session_free(handle)
    }

    /// Runs `call` until it stops answering `LIBSSH2_ERROR_EAGAIN`, waiting for the socket in between.
    /// - Returns: the call's non-negative result.
    /// - Throws: `deadline.error`, `.cancelled`, or `.sshFailed`/`.connectionLost` for a negative result.
    @discardableResult
    func perform(_ deadline: Deadline, _ call: () -> Int32) throws(TapError) -> Int32 {
        while true {
            let result = call()
            if result >= 0 { return result }
            guard result == LIBSSH2_ERROR_EAGAIN else { throw failure(deadline.stage, code: result) }
            try waitForSocket(deadline)
        }
    }

    /// Runs a call that returns a pointer (NULL with `EAGAIN` means "try again").
    func performReturningPointer<T>(_ deadline: Deadline, _ call: () -> T?) throws(TapError) -> T {
        while true {
            if let value = call() { return value }
            let code = libssh2_session_last_errno(handle)
            guard code == LIBSSH2_ERROR_EAGAIN else { throw failure(deadline.stage, code: code) }
            try waitForSocket(deadline)
        }
    }

    /// Waits for whichever direction libssh2 is blocked on.
    func waitForSocket(_ deadline: Deadline) throws(TapError) {
        let directions = libssh2_session_block_directions(handle)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        try connection.wait(for: events == 0 ? Int16(POLLIN) : events, until: deadline)
    }

    /// The key exchange.
    func handshake(_ deadline: Deadline) throws(TapError) {
        try perform(deadline) { libssh2_session_handshake(handle, connection.descriptor) }
    }

    /// The error for a failed call in `stage`, with libssh2's own message, taken now on this thread.
    func failure(_ stage: String, code: Int32) -> TapError {
        switch code {
        case LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_SEND,
             LIBSSH2_ERROR_CHANNEL_CLOSED, LIBSSH2_ERROR_CHANNEL_EOF_SENT:
            return .connectionLost(stage: stage)
        default:
            var message: UnsafeMutablePointer<CChar>?
            var length: Int32 = 0
            _ = libssh2_session_last_error(handle, &message, &length, 0)
            let text = message.map { String(cString: $0) } ?? "unknown error"
            return .sshFailed(stage: stage, code: code, message: text.isEmpty ? "unknown error" : text)
        }
    }
}
