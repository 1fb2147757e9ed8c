/// Reading the request head: request line, header lines, the empty line that ends them.
///
/// The scan resumes where the previous call stopped (`scanOffset`), so each buffered byte is
/// examined once however the bytes were split across reads. Checks happen in byte order and the
/// size limit applies at a fixed byte offset, so the outcome never depends on how the request was
/// split, only on its bytes.
extension HTTPRequestParser {
    /// Empty lines tolerated before a request line. RFC 9112 §2.2 asks servers to ignore at least
    /// one (some clients send a CRLF after a POST body); a few more costs nothing, and a cap keeps
    /// a client from holding a connection busy with endless empty lines.
    static let maxEmptyLinesBeforeRequest = 4

    /// Progress through the current request's head. Offsets are relative to `readIndex`, which
    /// stays at the head's first byte until the head is consumed, so compaction cannot move them.
    struct HeadProgress: Sendable {
        /// Checks the request line byte by byte until it is complete.
        var scanner = HTTPRequestLineScanner()
        /// Offset of the next byte to examine.
        var scanOffset = 0
        /// Offset of the first byte of the header line being read.
        var lineStart = 0
        /// Empty lines skipped before this request line.
        var emptyLinesSkipped = 0
        /// Set once the request line is parsed; header fields are added as their lines complete.
        var request: HTTPRequest?
    }

    /// What the head scan found.
    enum HeadOutcome: Equatable {
        /// The head has not ended within the buffered bytes.
        case incomplete
        /// The head ended; it is `headLength` bytes from `readIndex`, final CRLF included.
        case complete(headLength: Int)
        /// The head is refused.
        case failure(HTTPParseError)
    }

    /// Scans newly buffered bytes of the head. Never looks further than `maxHeaderBytes` past the
    /// head's start, and refuses the head (431) once that many bytes are buffered without its end:
    /// the final LF would then lie beyond the limit.
    mutating func scanHead() -> HeadOutcome {
        let limit = max(configuration.maxHeaderBytes, 0)
        while true {
            let available = buffer.count - readIndex
            let window = min(available, limit)
            if head.scanOffset >= window {
                if available > 0 && head.scanOffset >= limit {
                    return .failure(.headerSectionTooLarge(limit: limit))
                }
                return .incomplete
            }
            if head.request == nil {
                if let outcome = scanRequestLineByte() { return outcome }
                continue
            }
            let from = readIndex + head.scanOffset
            let end = readIndex + window
            guard let lineFeed = buffer[from..<end].firstIndex(of: HTTPSyntax.lf) else {
                bytesExamined += end - from
                head.scanOffset = window
                continue
            }
            bytesExamined += lineFeed + 1 - from
            head.scanOffset = lineFeed + 1 - readIndex
            if let outcome = headerLineEnded(lineFeedOffset: lineFeed - readIndex) { return outcome }
            head.lineStart = head.scanOffset
        }
    }

    /// Feeds one byte to the request-line scanner; returns an outcome only when the scan must stop.
    private mutating func scanRequestLineByte() -> HeadOutcome? {
        bytesExamined += 1
        switch head.scanner.scan(buffer[readIndex + head.scanOffset], at: head.scanOffset) {
        case .pending:
            head.scanOffset += 1
        case .emptyLine:
            // Consume the empty line so it counts towards neither the header limit nor offsets.
            head.emptyLinesSkipped += 1
            guard head.emptyLinesSkipped <= Self.maxEmptyLinesBeforeRequest else {
                return .failure(.tooManyEmptyLines)
            }
            readIndex += head.scanOffset + 1
            head.scanOffset = 0
        case .complete:
            switch parsedRequestLine() {
            case .success(let request): head.request = request
            case .failure(let error): return .failure(error)
            }
            head.scanOffset += 1
            head.lineStart = head.scanOffset
        case .failure(let error):
            return .failure(error)
        }
        return nil
    }

    /// Builds the request from a request line the scanner accepted; refuses versions other than
    /// 1.0 and 1.1 with 505, naming HTTP/2 when it is the HTTP/2 preface (RFC 9113 §3.4).
    private func parsedRequestLine() -> Result<HTTPRequest, HTTPParseError> {
        let scanner = head.scanner
        let method = text(from: 0, to: scanner.methodEnd)
        let target = text(from: scanner.targetStart, to: scanner.targetEnd)
        let digits = readIndex + scanner.versionStart + "HTTP/".utf8.count
        let version = HTTPVersion(major: Int(buffer[digits] &- UInt8(ascii: "0")),
                                  minor: Int(buffer[digits + 2] &- UInt8(ascii: "0")))
        guard version == .http1_1 || version == .http1_0 else {
            let isPreface = method == "PRI" && target == "*" && version == HTTPVersion(major: 2, minor: 0)
            return .failure(isPreface ? .http2Preface : .unsupportedVersion(version))
        }
        return .success(HTTPRequest(method: method, target: target, version: version))
    }

    /// Handles a header line whose LF is at `lineFeedOffset`: the empty line ends the head,
    /// any other line must be a valid field line. Returns an outcome only when the scan must stop.
    private mutating func headerLineEnded(lineFeedOffset: Int) -> HeadOutcome? {
        let start = head.lineStart
        guard lineFeedOffset > start, buffer[readIndex + lineFeedOffset - 1] == HTTPSyntax.cr else {
            return .failure(.bareLineEnding)
        }
        let contentEnd = lineFeedOffset - 1
        if contentEnd == start { return .complete(headLength: lineFeedOffset + 1) }
        switch parsedField(buffer[(readIndex + start)..<(readIndex + contentEnd)]) {
        case .success(let field):
            head.request?.headers.add(name: field.name, value: field.value)
            return nil
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112 §5), line without its CRLF.
    private func parsedField(_ line: ArraySlice<UInt8>) -> Result<HTTPHeaders.Element, HTTPParseError> {
        guard let first = line.first, !HTTPSyntax.isWhitespace(first) else {
            return .failure(.obsoleteLineFolding)  // RFC 9112 §5.2: reject obs-fold with 400.
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else { return .failure(.missingColon) }
        let nameBytes = line[..<colon]
        if let bad = nameBytes.first(where: { !HTTPSyntax.isTokenCharacter($0) }) {
            return .failure(HTTPSyntax.isWhitespace(bad) ? .whitespaceBeforeColon : .invalidFieldName)
        }
        guard !nameBytes.isEmpty else { return .failure(.invalidFieldName) }
        let name = String(decoding: nameBytes, as: UTF8.self)
        let valueBytes = HTTPSyntax.trimmingWhitespace(line[(colon + 1)...])
        guard !valueBytes.contains(where: HTTPSyntax.isForbiddenInFieldValue) else {
            return .failure(.invalidFieldValue(name: name))
        }
        guard let value = String(validating: valueBytes, as: UTF8.self) else {
            return .failure(.nonUTF8FieldValue(name: name))
        }
        return .success((name: name, value: value))
    }

    /// The ASCII text between two head offsets; the scanner has checked the bytes are ASCII.
    private func text(from start: Int, to end: Int) -> String {
        String(decoding: buffer[(readIndex + start)..<(readIndex + end)], as: UTF8.self)
    }
}
