/// Checks on a complete head that decide whether and how a body follows (RFC 9112 §6).
extension HTTPRequestParser {
    /// How the body of an accepted head is framed.
    struct RequestFraming: Equatable {
        /// Body bytes to read: the Content-Length, or 0 without one (RFC 9112 §6.3 rule 7).
        var contentLength: Int
        /// Whether the client waits for `100 Continue` before sending the body.
        var expectsContinue: Bool
    }

    /// Longest Content-Length accepted as a number: 18 digits stay below `Int.max` (19 digits),
    /// so parsing can never overflow; anything longer is above every sane body limit anyway.
    static let maxContentLengthDigits = 18

    /// Validates Host, Transfer-Encoding, Content-Length and Expect of a parsed head.
    ///
    /// - One Host at most, and exactly one for HTTP/1.1 (RFC 9112 §3.2: else 400).
    /// - Any Transfer-Encoding → 411: we frame bodies by Content-Length only, and refusing it
    ///   also rules out Content-Length/Transfer-Encoding smuggling (RFC 9112 §6.1, §6.3).
    /// - Content-Length per ``contentLength(of:limit:)``.
    /// - `Expect: 100-continue` counts only for HTTP/1.1 with a non-empty body (RFC 9110 §10.1.1:
    ///   ignore it from HTTP/1.0; with no body there is nothing to wait for). Other expectations
    ///   are ignored, which RFC 9110 §10.1.1 allows (417 is a MAY).
    static func framing(of request: HTTPRequest, configuration: Configuration) -> Result<RequestFraming, HTTPParseError> {
        let hosts = request.headers.values(for: "Host")
        if hosts.count > 1 { return .failure(.multipleHosts) }
        if hosts.isEmpty && request.version == .http1_1 { return .failure(.missingHost) }
        if request.headers.contains("Transfer-Encoding") { return .failure(.transferEncodingNotSupported) }
        switch contentLength(of: request.headers.values(for: "Content-Length"), limit: configuration.maxBodyBytes) {
        case .failure(let error):
            return .failure(error)
        case .success(let length):
            let expects = request.version == .http1_1 && length > 0
                && HTTPSyntax.list(request.headers.values(for: "Expect"), contains: "100-continue")
            return .success(RequestFraming(contentLength: length, expectsContinue: expects))
        }
    }

    /// The body length declared by the Content-Length field values, checked against `limit`.
    ///
    /// Each value may be a comma-separated list; every member must be `1*DIGIT` (so `+5`, `-1`,
    /// `5.0` and empty members are 400) and all members must be equal, leading zeros aside
    /// (RFC 9110 §8.6 allows accepting repeated identical values; RFC 9112 §6.3 rule 5 makes
    /// differing ones a 400). A number above `limit`, or longer than
    /// ``maxContentLengthDigits`` digits, is 413. No values means no body: length 0.
    static func contentLength(of values: [String], limit: Int) -> Result<Int, HTTPParseError> {
        var agreed: ArraySlice<UInt8>?
        for value in values {
            for member in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                let digits = HTTPSyntax.trimmingWhitespace(ArraySlice(member))
                guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                    return .failure(.invalidContentLength)
                }
                let significant = digits.drop { $0 == UInt8(ascii: "0") }
                if let agreed, !agreed.elementsEqual(significant) {
                    return .failure(.conflictingContentLengths)
                }
                agreed = significant
            }
        }
        guard let agreed else { return .success(0) }
        guard agreed.count <= maxContentLengthDigits else { return .failure(.bodyTooLarge(limit: limit)) }
        let length = agreed.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard length <= limit else { return .failure(.bodyTooLarge(limit: limit)) }
        return .success(length)
    }
}
