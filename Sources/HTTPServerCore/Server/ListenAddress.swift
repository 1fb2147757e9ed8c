/// A `host:port` to listen on: `[::]:8443` (every address, IPv4 and IPv6), `0.0.0.0:8081`,
/// `127.0.0.1:0` (a free port, for tests), `[::1]:9443`, or `:8443` (same as `[::]`).
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    /// The host part without brackets: an IPv4 or IPv6 literal.
    public let host: String
    /// The port; 0 asks the kernel for a free one.
    public let port: UInt16

    /// Parses `text`.
    /// - Throws: `ListenAddressError` saying what is wrong with it.
    public init(_ text: String) throws(ListenAddressError) {
        guard let colon = text.lastIndex(of: ":") else { throw ListenAddressError(text: text, problem: "expected HOST:PORT, e.g. [::]:8443") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = UInt16(portText) else {
            throw ListenAddressError(text: text, problem: "the port must be a number 0–65535")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard host.contains(":") else { throw ListenAddressError(text: text, problem: "brackets hold an IPv6 address") }
        } else if host.isEmpty {
            host = "::"
        } else if host.contains(":") {
            throw ListenAddressError(text: text, problem: "write an IPv6 address in brackets, e.g. [::1]:8443")
        }
        self.host = host
        self.port = port
    }

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `true` for an IPv6 literal.
    public var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A listen address that cannot be used.
public struct ListenAddressError: Error, Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public let problem: String
    public var description: String { "invalid listen address \"\(text)\": \(problem)" }
}
