internal import COpenSSL
internal import COpenSSLShims
#if canImport(Glibc)
import Glibc
#endif

/// An OpenSSL server context: the serving certificate chain and key, TLS 1.2–1.3, and ALPN that
/// selects `http/1.1` (kube-apiserver offers `h2,http/1.1`; selecting h2 would make every
/// admission call fail, see fixtures/kube/admission/alpn-openssl-s_server.txt).
///
/// Immutable after `init`; OpenSSL allows `SSL_new` on a configured context from any thread.
/// Each `SSL` holds its own reference to the context, so a reload may drop this object while
/// connections made from it are still open.
final class TLSContext: @unchecked Sendable {
    // Invariant: `pointer` is configured only in init and never mutated afterwards.
    let pointer: OpaquePointer
    /// The serving certificate's notAfter, in seconds since the epoch.
    let expiresAt: Int64
    /// The serving certificate's subject, for logs.
    let subject: String

    /// PEM files larger than this are refused: a chain of a few certificates is a few KB.
    static let maxPEMBytes = 1 << 20

    /// Loads the PEM certificate chain and private key; with `clientCAFile`, every client must
    /// present a certificate signed by one of its CAs (mutual TLS) or the handshake fails.
    /// - Throws: `TLSError` naming the file and OpenSSL's reason (unreadable, not PEM, key does
    ///   not match the certificate, encrypted key).
    init(certificateFile: String, keyFile: String, clientCAFile: String? = nil) throws(TLSError) {
        let certificatePEM = try Self.readPEM(certificateFile, what: "certificate")
        let keyPEM = try Self.readPEM(keyFile, what: "private key")
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .drainingQueue("create TLS context") }
        do throws(TLSError) {
            try Self.configure(context)
            let leaf = try Self.useCertificateChain(certificatePEM, file: certificateFile, context: context)
            try Self.usePrivateKey(keyPEM, file: keyFile, context: context)
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw TLSError.drainingQueue("load \(keyFile)", fallback: "the key does not match the certificate")
            }
            if let clientCAFile { try Self.requireClientCertificates(signedBy: clientCAFile, context: context) }
            self.expiresAt = Self.notAfter(of: leaf)
            self.subject = Self.subject(of: leaf)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.pointer = context
    }

    deinit { SSL_CTX_free(pointer) }

    private static func configure(_ context: OpaquePointer) throws(TLSError) {
        guard CShims_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .drainingQueue("set the minimum TLS version")
        }
        _ = CShims_SSL_CTX_set_options(context, CShims_SSL_OP_NO_RENEGOTIATION()
            | CShims_SSL_OP_CIPHER_SERVER_PREFERENCE() | CShims_SSL_OP_NO_COMPRESSION())
        // Non-blocking writes may be retried with a moved buffer and may complete partially.
        _ = CShims_SSL_CTX_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        SSL_CTX_set_alpn_select_cb(context, selectHTTP11, nil)
    }

    private static func requireClientCertificates(signedBy caFile: String, context: OpaquePointer) throws(TLSError) {
        _ = try readPEM(caFile, what: "client CA")  // a clear error for a missing or empty file first
        guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else { throw .drainingQueue("load client CA \(caFile)") }
        // Tell clients which CAs we accept (the CertificateRequest's list), then require a cert.
        if let names = SSL_load_client_CA_file(caFile) { SSL_CTX_set_client_CA_list(context, names) }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
    }

    private static func readPEM(_ path: String, what: String) throws(TLSError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TLSError(operation: "read \(what) \(path)", reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw TLSError(operation: "read \(what) \(path)", reason: String(cString: strerror(errno)))
            }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxPEMBytes else {
                throw TLSError(operation: "read \(what) \(path)", reason: "larger than \(maxPEMBytes) bytes")
            }
        }
        guard !bytes.isEmpty else { throw TLSError(operation: "read \(what) \(path)", reason: "the file is empty") }
        return bytes
    }

    /// Installs the first certificate as the leaf and the rest as its chain; returns the leaf.
    private static func useCertificateChain(_ pem: [UInt8], file: String,
                                            context: OpaquePointer) throws(TLSError) -> OpaquePointer {
        let bio = try memoryBIO(pem, operation: "load certificate \(file)")
        defer { BIO_free(bio) }
        guard let leaf = PEM_read_bio_X509_AUX(bio, nil, refusePassphrase, nil) else {
            throw .drainingQueue("load certificate \(file)", fallback: "no PEM certificate found")
        }
        defer { X509_free(leaf) }
        guard SSL_CTX_use_certificate(context, leaf) == 1 else { throw .drainingQueue("use certificate \(file)") }
        while let intermediate = PEM_read_bio_X509(bio, nil, refusePassphrase, nil) {
            // add0: the context takes ownership on success.
            guard SSL_CTX_ctrl(context, SSL_CTRL_CHAIN_CERT, 0, UnsafeMutableRawPointer(intermediate)) == 1 else {
                X509_free(intermediate)
                throw .drainingQueue("add chain certificate from \(file)")
            }
        }
        ERR_clear_error()  // reading past the last PEM block leaves a "no start line" error
        guard let installed = SSL_CTX_get0_certificate(context) else { throw .drainingQueue("use certificate \(file)") }
        return installed
    }

    private static func usePrivateKey(_ pem: [UInt8], file: String, context: OpaquePointer) throws(TLSError) {
        let bio = try memoryBIO(pem, operation: "load private key \(file)")
        defer { BIO_free(bio) }
        // A passphrase callback that refuses: an encrypted key fails instead of prompting on a terminal.
        guard let key = PEM_read_bio_PrivateKey(bio, nil, refusePassphrase, nil) else {
            throw .drainingQueue("load private key \(file)", fallback: "no PEM private key found (encrypted keys are not supported)")
        }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(context, key) == 1 else { throw .drainingQueue("use private key \(file)") }
    }

    private static func memoryBIO(_ bytes: [UInt8], operation: String) throws(TLSError) -> OpaquePointer {
        // BIO_new_mem_buf does not copy; BIO_write into a fresh memory BIO does.
        guard let bio = BIO_new(BIO_s_mem()) else { throw .drainingQueue(operation) }
        let written = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(bytes.count) else {
            BIO_free(bio)
            throw .drainingQueue(operation)
        }
        return bio
    }

    static func notAfter(of certificate: OpaquePointer) -> Int64 {
        guard let time = X509_get0_notAfter(certificate) else { return 0 }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return 0 }
        return Int64(timegm(&parts))
    }

    static func subject(of certificate: OpaquePointer) -> String {
        guard let name = X509_get_subject_name(certificate),
              let text = X509_NAME_oneline(name, nil, 0) else { return "" }
        defer { CRYPTO_free(text, #fileID, #line) }
        return String(cString: text)
    }
}

/// Refuses to supply a PEM passphrase (returns 0 bytes).
private let refusePassphrase: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = {
    _, _, _, _ in 0
}

/// ALPN: select `http/1.1` when the client offers it; otherwise no ALPN (never `h2`).
private let selectHTTP11: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
    guard let offered, let out, let outLength else { return SSL_TLSEXT_ERR_NOACK }
    let wanted: [UInt8] = Array("http/1.1".utf8)
    var index = 0
    let total = Int(offeredLength)
    while index < total {
        let length = Int(offered[index])
        let start = index + 1
        guard start + length <= total else { break }
        if length == wanted.count, (0..<length).allSatisfy({ offered[start + $0] == wanted[$0] }) {
            out.pointee = offered + start
            outLength.pointee = UInt8(length)
            return SSL_TLSEXT_ERR_OK
        }
        index = start + length
    }
    return SSL_TLSEXT_ERR_NOACK
}
