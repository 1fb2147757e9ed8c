/// How the tap's host key is checked, before any credential is sent (issue 5: the original tool
/// accepted any key). Exactly one is configured (DESIGN.md: `--tap-known-hosts`,
/// `--tap-host-key-sha256`, `--tap-insecure-skip-host-key-verification`).
public enum HostKeyPolicy: Hashable, Sendable, CustomStringConvertible {
    /// An OpenSSH known_hosts file (plain or hashed host names, `[host]:port` for other ports), read
    /// again at every connection so an updated file applies without a restart.
    case knownHosts(path: String)
    /// A pinned fingerprint.
    case fingerprint(HostKeyFingerprint)
    /// No check: any key is accepted and every connection logs a warning. Only by explicit choice.
    case insecureSkipVerification

    /// The policy as a person reads it in logs.
    public var description: String {
        switch self {
        case .knownHosts(let path): "known_hosts file \(path)"
        case .fingerprint(let fingerprint): "pinned \(fingerprint)"
        case .insecureSkipVerification: "no verification (insecure)"
        }
    }
}
