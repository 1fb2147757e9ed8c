/// Why a request was refused, as the status code and a sentence to send back.
///
/// `reason` is one sentence a person can act on. It is safe to put in a response body: it never
/// echoes more than 64 bytes of client input, and what it echoes is a validated token.
public struct HTTPParseError: Error, Sendable, Equatable {
    /// The status code to answer with: 400, 411, 413, 431 or 505.
    public let status: Int
    /// One sentence saying what is wrong and what to send instead.
    public let reason: String

    /// Creates an error; other modules may use it for their own refusals in the same shape.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// The parser's refusals, each with the rule it enforces.
extension HTTPParseError {
    /// Longest piece of client input ever echoed in a reason, so a response body stays small.
    static let maxEchoedBytes = 64

    /// The request line does not match `method SP request-target SP HTTP-version CRLF`
    /// (RFC 9112 §3); also what TLS records or other binary data produce.
    static let malformedRequestLine = HTTPParseError(
        status: 400,
        reason: "The request line is malformed; send METHOD SP request-target SP HTTP/1.1 followed by CRLF.")

    /// A line ended with a bare LF or a CR not followed by LF (RFC 9112 §2.2: we require CRLF).
    static let bareLineEnding = HTTPParseError(
        status: 400, reason: "Every line of the request head must end with CRLF, not a bare LF or CR.")

    /// More empty lines before the request line than RFC 9112 §2.2's robustness rule needs.
    static let tooManyEmptyLines = HTTPParseError(
        status: 400, reason: "Too many empty lines were sent before the request line; send the request line first.")

    /// The HTTP/2 connection preface (RFC 9113 §3.4) reached this HTTP/1.1-only server.
    static let http2Preface = HTTPParseError(
        status: 505,
        reason: "HTTP/2 is not served on this port; use HTTP/1.1 (offer http/1.1 in ALPN).")

    /// A well-formed version other than 1.0 and 1.1 (RFC 9110 §15.6.6).
    static func unsupportedVersion(_ version: HTTPVersion) -> HTTPParseError {
        HTTPParseError(status: 505, reason: "\(version) is not supported; use HTTP/1.1.")
    }

    /// A header line starts with whitespace: obsolete line folding (RFC 9112 §5.2).
    static let obsoleteLineFolding = HTTPParseError(
        status: 400, reason: "Header line folding is not allowed; send each header field on a single line.")

    /// Whitespace between a field name and its colon (RFC 9112 §5.1: MUST reject with 400).
    static let whitespaceBeforeColon = HTTPParseError(
        status: 400, reason: "A header field name is followed by whitespace; put the colon right after the name.")

    /// A field name with a byte outside `tchar`, or an empty name (RFC 9110 §5.1).
    static let invalidFieldName = HTTPParseError(
        status: 400, reason: "A header field name is empty or contains a character that is not allowed in a token.")

    /// A header line without a colon (RFC 9112 §5: `field-name ":" OWS field-value OWS`).
    static let missingColon = HTTPParseError(
        status: 400, reason: "A header line has no colon; send each header field as name: value.")

    /// A field value with a control character other than HTAB (RFC 9110 §5.5).
    static func invalidFieldValue(name: String) -> HTTPParseError {
        HTTPParseError(status: 400, reason: "The value of header field \(echo(name)) contains a control character.")
    }

    /// A field value whose non-ASCII bytes are not UTF-8; we keep values as Swift strings.
    static func nonUTF8FieldValue(name: String) -> HTTPParseError {
        HTTPParseError(status: 400, reason: "The value of header field \(echo(name)) is not valid UTF-8.")
    }

    /// The header section is larger than the configured limit (RFC 6585 §5).
    static func headerSectionTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: 431, reason: "The request header section exceeds \(limit) bytes; send fewer or shorter header fields.")
    }

    /// An HTTP/1.1 request without Host (RFC 9112 §3.2: MUST respond 400).
    static let missingHost = HTTPParseError(
        status: 400, reason: "An HTTP/1.1 request must carry a Host header field.")

    /// More than one Host field line (RFC 9112 §3.2: MUST respond 400).
    static let multipleHosts = HTTPParseError(
        status: 400, reason: "The request carries more than one Host header field; send exactly one.")

    /// Any Transfer-Encoding: we only accept bodies framed by Content-Length (RFC 9112 §6.1).
    static let transferEncodingNotSupported = HTTPParseError(
        status: 411,
        reason: "Chunked request bodies (Transfer-Encoding) are not supported; send the body with a Content-Length header.")

    /// A Content-Length member that is not `1*DIGIT` (RFC 9110 §8.6).
    static let invalidContentLength = HTTPParseError(
        status: 400, reason: "Content-Length must be a non-negative decimal number of bytes.")

    /// Content-Length members that differ (RFC 9112 §6.3 rule 5: unrecoverable framing error).
    static let conflictingContentLengths = HTTPParseError(
        status: 400, reason: "The request carries different Content-Length values; send exactly one.")

    /// A declared body larger than the configured limit (RFC 9110 §15.5.14).
    static func bodyTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: 413, reason: "The request body exceeds the limit of \(limit) bytes.")
    }

    /// `text` quoted, cut to ``maxEchoedBytes`` bytes so a reason never carries much client input.
    static func echo(_ text: String) -> String {
        let bytes = text.utf8.prefix(maxEchoedBytes)
        let suffix = text.utf8.count > maxEchoedBytes ? "…" : ""
        return "'" + String(decoding: bytes, as: UTF8.self) + suffix + "'"
    }
}
