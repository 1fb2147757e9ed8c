/// Where a PEM certificate or key comes from: a file the transport reads itself (so a rotated
/// file is picked up by a new connection), or bytes already in memory (kubeconfig `*-data`
/// fields, decoded from base64).
///
/// Its `description` names the file or counts the bytes and never shows them, because a client
/// key is a secret and may sit in a `.pem` case.
public enum CertificateSource: Sendable, Equatable, CustomStringConvertible {
    /// A PEM file, by absolute path.
    case file(String)
    /// PEM bytes.
    case pem([UInt8])

    /// `file /path` or `PEM (N bytes)`: safe to log.
    public var description: String {
        switch self {
        case .file(let path): return "file \(path)"
        case .pem(let bytes): return "PEM (\(bytes.count) bytes)"
        }
    }
}
