import FoundationEssentials
import TroxileiaCore

/// A host key's SHA-256 fingerprint in OpenSSH's form, `SHA256:` followed by unpadded base64 of the
/// 32-byte digest (what `ssh-keygen -lf` and the first connection of `ssh` print).
public struct HostKeyFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let digest: [UInt8]

    /// From the digest bytes libssh2 returns.
    init(digest: [UInt8]) {
        self.digest = digest
    }

    /// Reads `--tap-host-key-sha256`: `SHA256:<base64>`, the prefix optional, padding optional,
    /// surrounding spaces ignored.
    /// - Throws: `TapError.invalidConfiguration` saying what is wrong; the text is quoted (a fingerprint
    ///   is no secret).
    public init(parsing text: String) throws(TapError) {
        var body = Substring(text.trimmingWhitespace())
        if body.lowercased().hasPrefix("sha256:") { body = body.dropFirst(7) }
        while body.hasSuffix("=") { body = body.dropLast() }
        let problem = "--tap-host-key-sha256 \"\(text.prefix(80))\" is not a SHA-256 fingerprint "
            + "(expected SHA256: and 43 base64 characters, as ssh-keygen -lf prints)"
        guard body.count == 43, body.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }),
              let data = Data(base64Encoded: String(body) + "="), data.count == 32 else {
            throw .invalidConfiguration(problem)
        }
        digest = Array(data)
    }

    /// `SHA256:<base64 without padding>`.
    public var description: String {
        var text = Data(digest).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }
}
