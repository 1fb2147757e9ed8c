/// An incremental checker for the request line, fed one byte at a time.
///
/// It lets the parser refuse garbage (a TLS record, binary data, a stray protocol) at the first
/// byte that cannot start or continue a request line, instead of buffering up to the header limit
/// and waiting for a CRLF that may never come. Each byte is seen once, so feeding a long line in
/// small pieces stays linear. Positions are offsets from the start of the line, so they survive
/// the parser compacting its buffer. Grammar (RFC 9112 §3, strict: single SP, no extra spaces):
/// `request-line = method SP request-target SP HTTP-version CRLF`.
struct HTTPRequestLineScanner: Sendable {
    /// What one byte meant.
    enum Step: Equatable {
        /// Part of the line; feed the next byte.
        case pending
        /// The byte ended an empty line (CRLF) before the request line (RFC 9112 §2.2).
        case emptyLine
        /// The byte ended a well-formed request line (its LF).
        case complete
        /// The byte cannot be part of a request line.
        case failure(HTTPParseError)
    }

    private enum Phase: Sendable {
        case start, emptyLineFeed, method, target, version, lineFeed
    }

    private static let versionPattern = Array("HTTP/D.D".utf8)

    private var phase = Phase.start
    /// Offset of the SP after the method; valid once the target phase started.
    private(set) var methodEnd = 0
    /// Offset of the SP after the target; valid once the version phase started.
    private(set) var targetEnd = 0

    /// Offset of the first target byte.
    var targetStart: Int { methodEnd + 1 }
    /// Offset of the `H` of `HTTP/`.
    var versionStart: Int { targetEnd + 1 }

    /// Checks the byte at `offset` from the start of the line (after any skipped empty lines,
    /// for which the caller restarts offsets at zero).
    mutating func scan(_ byte: UInt8, at offset: Int) -> Step {
        switch phase {
        case .start:
            if byte == HTTPSyntax.cr {
                phase = .emptyLineFeed
                return .pending
            }
            guard HTTPSyntax.isTokenCharacter(byte) else { return failure(for: byte) }
            phase = .method
            return .pending
        case .emptyLineFeed:
            guard byte == HTTPSyntax.lf else { return .failure(.bareLineEnding) }
            phase = .start
            return .emptyLine
        case .method:
            if byte == HTTPSyntax.space {
                methodEnd = offset
                phase = .target
                return .pending
            }
            return HTTPSyntax.isTokenCharacter(byte) ? .pending : failure(for: byte)
        case .target:
            if byte == HTTPSyntax.space {
                // An empty target means two spaces in a row: RFC 9112 §3 has exactly one SP.
                guard offset > targetStart else { return .failure(.malformedRequestLine) }
                targetEnd = offset
                phase = .version
                return .pending
            }
            // Visible ASCII only: a request-target is a URI reference (RFC 9112 §3.2), which has
            // no spaces, controls or raw non-ASCII bytes.
            return (0x21...0x7E).contains(byte) ? .pending : failure(for: byte)
        case .version:
            let position = offset - versionStart
            if position == Self.versionPattern.count {
                guard byte == HTTPSyntax.cr else { return failure(for: byte) }
                phase = .lineFeed
                return .pending
            }
            let expected = Self.versionPattern[position]
            let matches = expected == UInt8(ascii: "D")
                ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                : byte == expected
            return matches ? .pending : failure(for: byte)
        case .lineFeed:
            return byte == HTTPSyntax.lf ? .complete : .failure(.bareLineEnding)
        }
    }

    /// A bare LF gets the line-ending message; anything else the request-line one.
    private func failure(for byte: UInt8) -> Step {
        .failure(byte == HTTPSyntax.lf ? .bareLineEnding : .malformedRequestLine)
    }
}
