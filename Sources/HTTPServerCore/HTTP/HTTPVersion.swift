/// The HTTP version of a request line: `HTTP/<major>.<minor>`.
///
/// Only `HTTP/1.0` and `HTTP/1.1` are served; the parser answers every other version with
/// 505 (RFC 9110 §15.6.6). The value is a plain pair so other modules can switch on it.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version digit (RFC 9112 §2.3: a single DIGIT).
    public var major: Int
    /// The minor version digit (RFC 9112 §2.3: a single DIGIT).
    public var minor: Int

    /// Creates a version from its two digits; no range check, so any pair can be represented.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// `HTTP/1.0`: connections close after each response unless the client asks for keep-alive.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// `HTTP/1.1`: connections persist unless a side sends `Connection: close` (RFC 9112 §9.3).
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The version as it appears on the wire, e.g. `HTTP/1.1`.
    public var description: String { "HTTP/\(major).\(minor)" }
}
