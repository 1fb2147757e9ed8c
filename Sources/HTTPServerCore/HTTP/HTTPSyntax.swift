/// Byte classes and small text helpers from the HTTP grammar, shared by the parser,
/// the header store and the response serializer.
///
/// Everything works on bytes and ASCII only, so it needs no Foundation and never depends on
/// the locale. Internal: other modules use the typed API instead.
enum HTTPSyntax {
    /// Carriage return; with LF it ends every line of the head (RFC 9112 §2.2).
    static let cr: UInt8 = 0x0D
    /// Line feed; accepted only after CR.
    static let lf: UInt8 = 0x0A
    /// Space: the request-line separator and optional whitespace.
    static let space: UInt8 = 0x20
    /// Horizontal tab: optional whitespace, and allowed inside field values.
    static let tab: UInt8 = 0x09
    /// Separates a field name from its value.
    static let colon: UInt8 = 0x3A

    /// Whether `byte` is a `tchar`, the characters of a token such as a method or a field name
    /// (RFC 9110 §5.6.2): ALPHA / DIGIT / one of ``!#$%&'*+-.^_`|~``.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
             UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Whether every byte of `text` is a `tchar` and it is not empty (RFC 9110 §5.6.2 `token`).
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenCharacter)
    }

    /// Whether `byte` is a control character that may not appear in a field value:
    /// CTL except HTAB (RFC 9110 §5.5 allows only VCHAR, obs-text, SP and HTAB).
    static func isForbiddenInFieldValue(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != tab) || byte == 0x7F
    }

    /// Whether `byte` is optional whitespace, `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// `byte` folded to lower case if it is an ASCII capital letter.
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// Compares two strings byte by byte with ASCII case folding: field names and list tokens
    /// are case-insensitive (RFC 9110 §5.1, §7.6.1), and non-ASCII bytes must match exactly.
    static func equalsIgnoringASCIICase(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        lhs.utf8.count == rhs.utf8.count
            && zip(lhs.utf8, rhs.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// `bytes` without leading and trailing SP/HTAB (RFC 9110 §5.5: OWS around a value is not
    /// part of it).
    static func trimmingWhitespace<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isWhitespace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isWhitespace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return bytes[start..<end]
    }

    /// The members of a comma-separated list value, `#element` (RFC 9110 §5.6.1), trimmed of
    /// OWS, with empty members dropped as the rule allows. Works on bytes so a combining
    /// character after a comma cannot hide it.
    static func listMembers(_ value: String) -> [String] {
        value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map { trimmingWhitespace($0) }
            .filter { !$0.isEmpty }
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether any of `values` lists `token`, compared case-insensitively (for `Connection`
    /// and `Expect`, whose options are tokens, RFC 9110 §7.6.1 and §10.1.1).
    static func list(_ values: [String], contains token: String) -> Bool {
        values.contains { value in
            listMembers(value).contains { equalsIgnoringASCIICase($0, token) }
        }
    }
}
