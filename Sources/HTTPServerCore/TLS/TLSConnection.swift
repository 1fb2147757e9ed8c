internal import COpenSSL
internal import COpenSSLShims

/// One server-side TLS session over a non-blocking socket.
///
/// Owned by the event loop thread that serves the connection; not `Sendable`. Every call is
/// non-blocking: it does what it can and says what it waits for.
final class TLSConnection {
    /// The outcome of one non-blocking TLS operation.
    enum Progress: Equatable {
        /// `count` bytes moved (0 for a finished handshake).
        case done(Int)
        /// Call again when the socket is readable.
        case wantRead
        /// Call again when the socket is writable.
        case wantWrite
        /// The peer closed the TLS session (close_notify or EOF).
        case closed
        /// A protocol or system error; the connection must be dropped.
        case failed(String)
        /// The first bytes were a plain HTTP request on the TLS port.
        case plainHTTP
    }

    private let ssl: OpaquePointer

    /// Wraps `descriptor` in a TLS session of `context`. The context is retained by OpenSSL.
    init(context: TLSContext, descriptor: Int32) throws(TLSError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else { throw .drainingQueue("create TLS session") }
        guard SSL_set_fd(ssl, descriptor) == 1 else {
            SSL_free(ssl)
            throw .drainingQueue("attach TLS session to socket")
        }
        SSL_set_accept_state(ssl)
        self.ssl = ssl
    }

    deinit { SSL_free(ssl) }

    /// Advances the handshake.
    func handshake() -> Progress {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        return result == 1 ? .done(0) : progress(after: result)
    }

    /// Reads decrypted bytes into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Progress {
        ERR_clear_error()
        var count = 0
        let result = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
        return result == 1 ? .done(count) : progress(after: result)
    }

    /// Encrypts and sends bytes from `buffer` (possibly only some: partial writes are enabled).
    func write(_ buffer: UnsafeRawBufferPointer) -> Progress {
        ERR_clear_error()
        var count = 0
        let result = SSL_write_ex(ssl, buffer.baseAddress, buffer.count, &count)
        return result == 1 ? .done(count) : progress(after: result)
    }

    /// Sends close_notify if possible, without waiting for the peer's.
    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private func progress(after result: Int32) -> Progress {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let queued = TLSError.drainErrorQueue()
            return queued.map { .failed($0) } ?? .closed
        default:
            if CShims_ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_HTTP_REQUEST {
                ERR_clear_error()
                return .plainHTTP
            }
            return .failed(TLSError.drainErrorQueue() ?? "TLS error \(code)")
        }
    }
}
