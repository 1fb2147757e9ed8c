import Testing
@testable import HTTPServerCore

@Suite struct HTTPRequestParserHeadTests {
    private func outcome(_ text: String, _ configuration: HTTPRequestParser.Configuration = .init()) -> [HTTPParseEvent] {
        HTTPTestFeed.outcomes([HTTPTestFeed.bytes(text)], configuration: configuration)
    }

    @Test(arguments: [
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", HTTPParseError.unsupportedVersion(HTTPVersion(major: 2, minor: 0))),
        ("GET / HTTP/1.2\r\nHost: x\r\n\r\n", .unsupportedVersion(HTTPVersion(major: 1, minor: 2))),
        ("GET / HTTP/0.9\r\n\r\n", .unsupportedVersion(HTTPVersion(major: 0, minor: 9))),
        ("GET / HTTP/3\r\n\r\n", .malformedRequestLine),
        ("GET / http/1.1\r\n\r\n", .malformedRequestLine),
        ("GET /\r\n\r\n", .malformedRequestLine),
        ("GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/1.1 \r\n\r\n", .malformedRequestLine),
        (" GET / HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET /a\u{0}b HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("G@T / HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{FC}\u{03}\u{03}", .malformedRequestLine),
        ("GET / HTTP/1.1\nHost: x\n\n", .bareLineEnding),
        ("GET / HTTP/1.1\r\nHost: x\n\r\n", .bareLineEnding),
        ("GET / HTTP/1.1\r\nHost: x\r\n\n", .bareLineEnding),
        ("\r\r\nGET / HTTP/1.1\r\n\r\n", .bareLineEnding),
        ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", .whitespaceBeforeColon),
        ("GET / HTTP/1.1\r\nHost\t: x\r\n\r\n", .whitespaceBeforeColon),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\n\tHost: x\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", .missingColon),
        ("GET / HTTP/1.1\r\nHost: x\r\n: empty-name\r\n\r\n", .invalidFieldName),
        ("GET / HTTP/1.1\r\nHost: x\r\nX(y): z\r\n\r\n", .invalidFieldName),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n", .invalidFieldValue(name: "X-A")),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", .invalidFieldValue(name: "X-A")),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{1B}[31mb\r\n\r\n", .invalidFieldValue(name: "X-A")),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u{7F}\r\n\r\n", .invalidFieldValue(name: "X-A")),
        ("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", .tooManyEmptyLines),
    ])
    func refusesMalformedHeads(text: String, error: HTTPParseError) {
        #expect(outcome(text) == [.error(error)])
    }

    @Test func refusesTheHTTP2PrefaceNamingHTTP11() {
        let events = outcome("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        #expect(events == [.error(.http2Preface)])
        #expect(HTTPParseError.http2Preface.status == 505)
        #expect(HTTPParseError.http2Preface.reason.contains("HTTP/2 is not served"))
        #expect(HTTPParseError.http2Preface.reason.contains("use HTTP/1.1"))
    }

    @Test func refusesTLSBytesAtTheFirstByte() {
        var parser = HTTPRequestParser()
        parser.append([0x16])
        #expect(parser.next() == .error(.malformedRequestLine))
    }

    @Test func refusesValuesThatAreNotUTF8() {
        let bytes = HTTPTestFeed.bytes("GET / HTTP/1.1\r\nHost: x\r\nX-B: a") + [0xFF, 0xFE] + HTTPTestFeed.bytes("\r\n\r\n")
        #expect(HTTPTestFeed.outcomes([bytes]) == [.error(.nonUTF8FieldValue(name: "X-B"))])
    }

    @Test func acceptsFieldsWithOptionalWhitespaceTabsAndUTF8() throws {
        let text = "OPTIONS * HTTP/1.1\r\nHost:x\r\nX-Empty:\r\nX-Pad: \t a\tb \t\r\nX-Name: José\r\n!#$%&'*+-.^_`|~: tokens\r\n\r\n"
        let request = try #require(HTTPTestFeed.request(outcome(text)))
        #expect(request.method == "OPTIONS")
        #expect(request.target == "*")
        #expect(request.headers.map(\.value) == ["x", "", "a\tb", "José", "tokens"])
        #expect(request.headers["!#$%&'*+-.^_`|~"] == "tokens")
    }

    @Test func skipsAFewEmptyLinesBeforeTheRequestLine() {
        let events = outcome("\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(HTTPTestFeed.request(events)?.target == "/")
    }

    @Test func acceptsAnyTokenAsMethodAndKeepsItsCase() {
        #expect(HTTPTestFeed.request(outcome("pAtCh /x HTTP/1.1\r\nHost: x\r\n\r\n"))?.method == "pAtCh")
    }

    /// A head of exactly `maxHeaderBytes` is accepted; one byte more is 431.
    @Test func appliesTheHeaderLimitToTheWholeSection() {
        let limit = 16 * 1024
        let fixed = "GET / HTTP/1.1\r\nHost: x\r\nX-Fill: \r\n\r\n".utf8.count
        let exact = "GET / HTTP/1.1\r\nHost: x\r\nX-Fill: " + String(repeating: "f", count: limit - fixed) + "\r\n\r\n"
        #expect(exact.utf8.count == limit)
        #expect(HTTPTestFeed.request(outcome(exact)) != nil)
        #expect(outcome("\r\n" + exact) == outcome(exact))
        let over = exact.replacingOccurrences(of: "X-Fill: ", with: "X-Fill: f")
        #expect(outcome(over) == [.error(.headerSectionTooLarge(limit: limit))])
    }

    /// The limit fires as soon as `maxHeaderBytes` unterminated bytes are buffered, not at the end.
    @Test func detectsOversizedHeadsBeforeTheirEnd() {
        let limit = 16 * 1024
        let start = HTTPTestFeed.bytes("GET / HTTP/1.1\r\nX-Fill: ")
        var parser = HTTPRequestParser()
        parser.append(start + [UInt8](repeating: 0x61, count: limit - start.count - 1))
        #expect(parser.next() == .needMoreData)
        parser.append([0x61])
        #expect(parser.next() == .error(.headerSectionTooLarge(limit: limit)))
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nX-Endless: ",       // one endless value
        "GET / HTTP/1.1\r\n",                  // endless short header lines
        "GET /",                               // endless request-target
    ])
    func memoryStaysBoundedWhenHeadersNeverEnd(prefix: String) {
        let configuration = HTTPRequestParser.Configuration()
        let chunk = prefix.hasSuffix("\r\n") ? HTTPTestFeed.bytes(String(repeating: "X-A: aaaaaaaa\r\n", count: 64)) : [UInt8](repeating: 0x61, count: 1_000)
        var parser = HTTPRequestParser(configuration: configuration)
        parser.append(HTTPTestFeed.bytes(prefix))
        var largest = 0
        var errors: [HTTPParseEvent] = []
        for _ in 0..<1_000 {
            parser.append(chunk)
            largest = max(largest, parser.bufferedByteCount)
            if case .error = parser.next() { errors.append(parser.next()) }
        }
        #expect(errors.first == .error(.headerSectionTooLarge(limit: configuration.maxHeaderBytes)))
        #expect(largest <= configuration.maxHeaderBytes + chunk.count)
        #expect(parser.bufferedByteCount == 0)
        #expect(parser.buffer.capacity == 0)
    }

    @Test func tinyLimitsRefuseWithoutCrashing() {
        #expect(outcome("GET / HTTP/1.1\r\n\r\n", .init(maxHeaderBytes: 0)) == [.error(.headerSectionTooLarge(limit: 0))])
        #expect(outcome("GET / HTTP/1.1\r\n\r\n", .init(maxHeaderBytes: -5)) == [.error(.headerSectionTooLarge(limit: 0))])
        #expect(outcome("", .init(maxHeaderBytes: 0)) == [])
    }
}
