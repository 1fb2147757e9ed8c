internal import CLibSSH2

/// Checking the key the tap presented during the handshake, before anything is sent
/// (issue 5: "host-key mismatch (refused before any password is sent)").
extension SSHSession {
    /// The presented key's SHA-256 fingerprint.
    /// - Throws: `.sshFailed` when libssh2 has no key (no handshake yet).
    func hostKeyFingerprint() throws(TapError) -> HostKeyFingerprint {
        guard let hash = libssh2_hostkey_hash(handle, LIBSSH2_HOSTKEY_HASH_SHA256) else {
            throw .sshFailed(stage: "read the tap's host key", code: 0, message: "no host key after the handshake")
        }
        return HostKeyFingerprint(digest: hash.withMemoryRebound(to: UInt8.self, capacity: 32) {
            Array(UnsafeBufferPointer(start: $0, count: 32))
        })
    }

    /// Accepts the presented key under `policy`, or throws.
    /// - Returns: the presented fingerprint (for logs).
    /// - Throws: `.hostKeyMismatch`, `.hostKeyUnknown`, `.invalidConfiguration` (unreadable known_hosts).
    func verifyHostKey(_ policy: HostKeyPolicy, host: String, port: Int) throws(TapError) -> HostKeyFingerprint {
        let presented = try hostKeyFingerprint()
        switch policy {
        case .insecureSkipVerification:
            return presented
        case .fingerprint(let pinned):
            guard pinned == presented else {
                throw .hostKeyMismatch(host: host, expected: pinned.description, presented: presented.description)
            }
            return presented
        case .knownHosts(let path):
            try checkKnownHosts(path: path, host: host, port: port, presented: presented)
            return presented
        }
    }

    private func checkKnownHosts(path: String, host: String, port: Int, presented: HostKeyFingerprint) throws(TapError) {
        guard let knownHosts = libssh2_knownhost_init(handle) else {
            throw .sshFailed(stage: "read known hosts", code: 0, message: "out of memory")
        }
        defer { libssh2_knownhost_free(knownHosts) }
        // libssh2 reads the file itself: check first that it is a readable file of bounded size.
        try SecretFile.checkReadable(path, flag: "--tap-known-hosts", limit: SecretFile.knownHostsLimit)
        let count = libssh2_knownhost_readfile(knownHosts, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
        guard count >= 0 else {
            throw .invalidConfiguration("--tap-known-hosts \(path) is not an OpenSSH known_hosts file: \(failureText(code: count))")
        }
        var length = 0
        var keyType: Int32 = 0
        guard let key = libssh2_session_hostkey(handle, &length, &keyType) else {
            throw .sshFailed(stage: "read the tap's host key", code: 0, message: "no host key after the handshake")
        }
        let typeMask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | Self.knownHostKeyBits(keyType)
        var entry: UnsafeMutablePointer<libssh2_knownhost>?
        let result = libssh2_knownhost_checkp(knownHosts, host, Int32(port), key, length, typeMask, &entry)
        switch result {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH:
            return
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
            throw .hostKeyMismatch(host: host, expected: "the key in \(path)", presented: presented.description)
        case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
            throw .hostKeyUnknown(host: port == 22 ? host : "[\(host)]:\(port)", presented: presented.description,
                                  knownHostsFile: path)
        default:
            throw .sshFailed(stage: "check the tap's host key", code: result, message: failureText(code: result))
        }
    }

    private func failureText(code: Int32) -> String {
        if case .sshFailed(_, _, let message) = failure("", code: code) { return message }
        return "error \(code)"
    }

    /// libssh2's known-hosts key type bits for a `LIBSSH2_HOSTKEY_TYPE_*`.
    private static func knownHostKeyBits(_ type: Int32) -> Int32 {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: LIBSSH2_KNOWNHOST_KEY_SSHRSA
        case LIBSSH2_HOSTKEY_TYPE_DSS: LIBSSH2_KNOWNHOST_KEY_SSHDSS
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: LIBSSH2_KNOWNHOST_KEY_ECDSA_256
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: LIBSSH2_KNOWNHOST_KEY_ECDSA_384
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: LIBSSH2_KNOWNHOST_KEY_ECDSA_521
        case LIBSSH2_HOSTKEY_TYPE_ED25519: LIBSSH2_KNOWNHOST_KEY_ED25519
        default: LIBSSH2_KNOWNHOST_KEY_UNKNOWN
        }
    }
}
