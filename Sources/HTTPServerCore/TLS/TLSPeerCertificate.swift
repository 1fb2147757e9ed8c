internal import COpenSSL
internal import COpenSSLShims
import FoundationEssentials
import NativeThread
#if canImport(Glibc)
import Glibc
#endif

/// The certificate a TLS server presents, verified against a CA bundle and the host name, for
/// `troxileia doctor` ("the webhook answers with a certificate that is valid and not expiring soon").
/// The blocking handshake runs on a thread of its own, bounded by socket timeouts.
public struct TLSPeerCertificate: Sendable {
    /// notAfter, seconds since the epoch.
    public let expiresAt: Int64
    /// The subject as OpenSSL prints it.
    public let subject: String

    /// Connects to `host:port`, verifies the chain against `caFile` and the name `host`.
    /// - Throws: `TLSError` with OpenSSL's reason (an expired, untrusted or misnamed certificate fails here).
    public static func fetch(host: String, port: Int, caFile: String, timeout: Duration = .seconds(10)) async throws -> TLSPeerCertificate {
        try await withCheckedThrowingContinuation { continuation in
            do throws(NativeThread.StartFailure) {
                try NativeThread.detach(name: "tls-peer-cert") {
                    continuation.resume(with: Result { try handshake(host: host, port: port, caFile: caFile, timeout: timeout) })
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    private static func handshake(host: String, port: Int, caFile: String, timeout: Duration) throws -> TLSPeerCertificate {
        let fd = try connect(host: host, port: port, timeout: timeout)
        defer { close(fd) }
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSError.drainingQueue("create a TLS client context") }
        defer { SSL_CTX_free(context) }
        guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else { throw TLSError.drainingQueue("load the CA bundle \(caFile)") }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard let ssl = SSL_new(context) else { throw TLSError.drainingQueue("create a TLS connection") }
        defer { SSL_free(ssl) }
        _ = CShims_SSL_set_tlsext_host_name(ssl, host)
        guard SSL_set1_host(ssl, host) == 1, SSL_set_fd(ssl, fd) == 1 else { throw TLSError.drainingQueue("prepare the TLS connection") }
        guard SSL_connect(ssl) == 1 else {
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK, let text = X509_verify_cert_error_string(verify) {
                ERR_clear_error()
                throw TLSError(operation: "check the peer certificate", reason: "certificate not accepted: \(String(cString: text))")
            }
            throw TLSError.drainingQueue("complete the TLS handshake with \(host):\(port)")
        }
        guard let certificate = SSL_get1_peer_certificate(ssl) else { throw TLSError(operation: "check the peer certificate", reason: "the server sent no certificate") }
        defer { X509_free(certificate) }
        _ = SSL_shutdown(ssl)
        return TLSPeerCertificate(expiresAt: TLSContext.notAfter(of: certificate), subject: TLSContext.subject(of: certificate))
    }

    private static func connect(host: String, port: Int, timeout: Duration) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw TLSError(operation: "check the peer certificate", reason: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        // At least 1 ms: a zero timeval would mean "no timeout".
        let microseconds = max(1000, timeout.components.seconds * 1_000_000 + timeout.components.attoseconds / 1_000_000_000_000)
        var limit = timeval(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
        var reason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry?.pointee {
            entry = address.ai_next
            let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
            guard fd >= 0 else { reason = String(cString: strerror(errno)); continue }
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return fd }
            reason = String(cString: strerror(errno))
            close(fd)
        }
        throw TLSError(operation: "check the peer certificate", reason: "connect to \(host):\(port): \(reason)")
    }
}
