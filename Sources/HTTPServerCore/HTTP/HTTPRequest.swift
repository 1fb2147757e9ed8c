/// One complete HTTP/1.x request: request line, header fields and body.
///
/// Produced by ``HTTPRequestParser`` once the whole body has arrived. The request-target is kept
/// raw (no percent-decoding, no normalisation) so routes decide how strict to be.
public struct HTTPRequest: Sendable, Equatable {
    /// The method token exactly as sent, e.g. `POST`; methods are case-sensitive (RFC 9110 §9.1).
    public var method: String
    /// The raw request-target, e.g. `/validate?timeout=5s` (RFC 9112 §3.2); never empty.
    public var target: String
    /// The protocol version from the request line: `.http1_0` or `.http1_1` from the parser.
    public var version: HTTPVersion
    /// The header fields in the order received.
    public var headers: HTTPHeaders
    /// The body, exactly `Content-Length` bytes; empty when the request had no Content-Length.
    public var body: [UInt8]

    /// Creates a request from its parts; no validation, so tests and other modules can build any
    /// request they need.
    public init(method: String, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The target up to (not including) the first `?`: the whole target when there is no query.
    /// For `/validate?timeout=5s` this is `/validate` (RFC 3986 §3.4: the query starts at `?`).
    public var path: String {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return String(decoding: target.utf8[..<mark], as: UTF8.self)
    }

    /// The text after the first `?`, or nil when the target has no `?`; an empty string when the
    /// target ends with `?`.
    public var query: String? {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return String(decoding: target.utf8[target.utf8.index(after: mark)...], as: UTF8.self)
    }

    /// Whether the connection may be reused for another request after the response.
    ///
    /// HTTP/1.1 persists unless a `Connection` field lists `close`; HTTP/1.0 persists only when a
    /// `Connection` field lists `keep-alive` and none lists `close` (RFC 9112 §9.3). Options are
    /// matched case-insensitively across every `Connection` field and comma-separated member.
    /// Any other version does not persist.
    public var keepAlive: Bool {
        let options = headers.values(for: "Connection")
        if HTTPSyntax.list(options, contains: "close") { return false }
        switch version {
        case .http1_1: return true
        case .http1_0: return HTTPSyntax.list(options, contains: "keep-alive")
        default: return false
        }
    }
}
