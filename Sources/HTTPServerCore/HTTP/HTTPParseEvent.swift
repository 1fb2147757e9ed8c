/// What ``HTTPRequestParser/next()`` found in the bytes buffered so far.
public enum HTTPParseEvent: Sendable, Equatable {
    /// No complete request is buffered: read more bytes from the socket, then call `next()` again.
    case needMoreData
    /// The request being read sent `Expect: 100-continue` and its body has not fully arrived:
    /// write `HTTP/1.1 100 Continue\r\n\r\n` now, then keep reading (RFC 9110 §10.1.1). Returned at
    /// most once per request; the following `next()` calls return `.needMoreData` or the request.
    case expectContinue
    /// A complete request. Call `next()` again: a pipelined request may already be buffered.
    case request(HTTPRequest)
    /// The bytes are not an acceptable request. Send a response with the error's status and
    /// reason, then close the connection: the parser stays failed and returns this error forever.
    case error(HTTPParseError)
}
