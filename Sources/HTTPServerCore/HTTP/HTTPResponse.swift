/// A response to serialise onto the connection.
///
/// The serializer owns the framing: it always computes `Content-Length` from the body and decides
/// `Connection`, so a caller cannot frame a response wrongly, and it never emits a CR or LF that
/// could start a forged header line or response (response splitting). Equatable so routes can
/// be tested by value.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code; values outside 100...999 are sent as 500 (RFC 9110 §15: three digits).
    public var status: Int
    /// Header fields to send, in order. `Content-Length`, `Connection` and `Transfer-Encoding`
    /// are ignored because the serializer writes the framing itself.
    public var headers: HTTPHeaders
    /// The body bytes; not sent for 1xx, 204 and 304, which have no content (RFC 9110 §6.4.1).
    public var body: [UInt8]
    /// A body written over time instead of `body`: sent with `Transfer-Encoding: chunked`.
    public var stream: HTTPBodyStream?
    /// The real answer comes later through this (see ``HTTPDeferredResponse``); every other
    /// field is then ignored.
    public var deferred: HTTPDeferredResponse?

    /// Creates a response; nothing is checked until ``serialized(keepAlive:)``.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], stream: HTTPBodyStream? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }

    /// A response whose answer `deferred` delivers later, from any thread.
    public static func later(_ deferred: HTTPDeferredResponse) -> HTTPResponse {
        var response = HTTPResponse(status: 500)
        response.deferred = deferred
        return response
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.headers == rhs.headers && lhs.body == rhs.body && lhs.stream === rhs.stream
            && lhs.deferred === rhs.deferred
    }

    /// The interim response a server writes when ``HTTPParseEvent/expectContinue`` arrives:
    /// `HTTP/1.1 100 Continue\r\n\r\n` (RFC 9110 §15.2.1).
    public static let continueBytes: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// A `text/plain; charset=utf-8` response with `body` encoded as UTF-8.
    public static func text(_ status: Int, _ body: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    /// An `application/json` response with `body` as given (already encoded JSON).
    public static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// The response for a parse error: its status and its reason as a text body. Send it with
    /// `keepAlive: false`, since the parser cannot continue on that connection.
    public static func parseError(_ error: HTTPParseError) -> HTTPResponse {
        text(error.status, error.reason + "\n")
    }

    /// The response as bytes ready to write: status line, header fields, framing, body.
    ///
    /// - Status line `HTTP/1.1 <code> <reason phrase>` (RFC 9112 §4), phrase from
    ///   ``reasonPhrase(for:)``.
    /// - Caller headers in order; one whose name is not a token is dropped, and in values every
    ///   control character (CR and LF included) but HTAB becomes a space, so no header line or
    ///   response can be injected (RFC 9110 §5.5; RFC 9112 §2.2).
    /// - `Content-Length` computed from the body, except for 1xx, 204 and 304, which must not
    ///   carry one or a body (RFC 9110 §8.6, §6.4.1).
    /// - `Connection: close` when `keepAlive` is false (RFC 9112 §9.6), except on 1xx. Nothing is
    ///   sent when it is true: HTTP/1.1 persists by default.
    public func serialized(keepAlive: Bool) -> [UInt8] {
        let code = (100...999).contains(status) ? status : 500
        let isInterim = (100...199).contains(code)
        let hasContent = !isInterim && code != 204 && code != 304
        var out: [UInt8] = []
        out.reserveCapacity(128 + headers.count * 48 + (hasContent ? body.count : 0))
        out.append(contentsOf: "HTTP/1.1 \(code) \(Self.reasonPhrase(for: code))\r\n".utf8)
        for field in headers where HTTPSyntax.isToken(field.name) && !Self.isFramingField(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: Self.sanitizedValue(field.value))
            out.append(contentsOf: "\r\n".utf8)
        }
        if hasContent { out.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8) }
        if !keepAlive && !isInterim { out.append(contentsOf: "Connection: close\r\n".utf8) }
        out.append(contentsOf: "\r\n".utf8)
        if hasContent { out.append(contentsOf: body) }
        return out
    }

    /// The status line and headers of a streamed response: `Transfer-Encoding: chunked`
    /// instead of `Content-Length` (RFC 9112 §7.1); the chunks follow as the stream produces them.
    public func serializedStreamingHead(keepAlive: Bool) -> [UInt8] {
        var head = HTTPResponse(status: status, headers: headers).serialized(keepAlive: keepAlive)
        let plain = Array("Content-Length: 0\r\n".utf8)
        if let range = head.firstRange(of: plain) { head.replaceSubrange(range, with: Array("Transfer-Encoding: chunked\r\n".utf8)) }
        return head
    }

    /// One chunk of a chunked body: size in hex, CRLF, the bytes, CRLF.
    static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10]
    }

    /// The last chunk of a chunked body.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Fields the serializer writes itself; a caller's copy could contradict the real framing.
    private static func isFramingField(_ name: String) -> Bool {
        ["Content-Length", "Connection", "Transfer-Encoding"].contains {
            HTTPSyntax.equalsIgnoringASCIICase(name, $0)
        }
    }

    /// `value`'s bytes with controls other than HTAB replaced by SP and the ends trimmed.
    private static func sanitizedValue(_ value: String) -> ArraySlice<UInt8> {
        let bytes = value.utf8.map { HTTPSyntax.isForbiddenInFieldValue($0) ? HTTPSyntax.space : $0 }
        return HTTPSyntax.trimmingWhitespace(bytes)
    }
}
