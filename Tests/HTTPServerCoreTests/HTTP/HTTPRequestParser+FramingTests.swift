import Testing
@testable import HTTPServerCore

@Suite struct HTTPRequestParserFramingTests {
    /// A POST with the given Content-Length field lines and `body`.
    private func post(contentLengths: [String], body: String = "") -> [HTTPParseEvent] {
        var text = "POST /validate HTTP/1.1\r\nHost: x\r\n"
        for value in contentLengths { text += "Content-Length: \(value)\r\n" }
        return HTTPTestFeed.outcomes([HTTPTestFeed.bytes(text + "\r\n" + body)])
    }

    @Test(arguments: [
        (["5"], 5), (["5, 5"], 5), (["5", "5"], 5), (["05", "5"], 5), (["0"], 0), (["000"], 0),
        ([String(repeating: "0", count: 31) + "5"], 5), ([], 0),
    ])
    func acceptsDecimalContentLengths(values: [String], length: Int) throws {
        let request = try #require(HTTPTestFeed.request(post(contentLengths: values, body: String(repeating: "b", count: length))))
        #expect(request.body.count == length)
    }

    @Test(arguments: [
        (["+5"], HTTPParseError.invalidContentLength), (["-1"], .invalidContentLength), ([""], .invalidContentLength),
        (["5,"], .invalidContentLength), (["0x5"], .invalidContentLength), (["5.0"], .invalidContentLength),
        (["5 5"], .invalidContentLength), (["5", "abc"], .invalidContentLength), (["٣"], .invalidContentLength),
        (["5, 6"], .conflictingContentLengths), (["5", "6"], .conflictingContentLengths),
        ([String(repeating: "9", count: 30)], .bodyTooLarge(limit: 7 * 1024 * 1024)),
        (["9223372036854775807"], .bodyTooLarge(limit: 7 * 1024 * 1024)),
        (["99999999999999999999999, 99999999999999999999999"], .bodyTooLarge(limit: 7 * 1024 * 1024)),
        (["7340033"], .bodyTooLarge(limit: 7 * 1024 * 1024)),
    ])
    func refusesBadContentLengths(values: [String], error: HTTPParseError) {
        #expect(post(contentLengths: values) == [.error(error)])
    }

    @Test func acceptsABodyOfExactlyTheLimit() {
        let events = HTTPTestFeed.outcomes(
            [HTTPTestFeed.bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n0123456789abcdef")],
            configuration: .init(maxBodyBytes: 16))
        #expect(HTTPTestFeed.request(events)?.body.count == 16)
    }

    /// 413 comes from the head alone: not one body byte needs to arrive.
    @Test func refusesAnOversizedBodyBeforeItArrives() {
        var parser = HTTPRequestParser()
        parser.append(HTTPTestFeed.bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8388608\r\n\r\n"))
        #expect(parser.next() == .error(.bodyTooLarge(limit: 7 * 1024 * 1024)))
    }

    @Test(arguments: [
        "Transfer-Encoding: chunked", "transfer-encoding: CHUNKED", "Transfer-Encoding: gzip, chunked",
        "Transfer-Encoding: identity", "Content-Length: 5\r\nTransfer-Encoding: chunked",
    ])
    func rejectsChunkedBodiesWith411(field: String) {
        let events = HTTPTestFeed.outcomes([HTTPTestFeed.bytes("POST / HTTP/1.1\r\nHost: x\r\n\(field)\r\n\r\n5\r\nhello\r\n0\r\n\r\n")])
        #expect(events == [.error(.transferEncodingNotSupported)])
        #expect(HTTPParseError.transferEncodingNotSupported.status == 411)
        #expect(HTTPParseError.transferEncodingNotSupported.reason.contains("Chunked request bodies"))
        #expect(HTTPParseError.transferEncodingNotSupported.reason.contains("Content-Length"))
    }

    @Test func rejectsTransferEncodingFromHTTP10Too() {
        let events = HTTPTestFeed.outcomes([HTTPTestFeed.bytes("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")])
        #expect(events == [.error(.transferEncodingNotSupported)])
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", [HTTPParseEvent.error(.missingHost)]),
        ("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", [.error(.multipleHosts)]),
        ("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", [.error(.multipleHosts)]),
    ])
    func requiresExactlyOneHostInHTTP11(text: String, events: [HTTPParseEvent]) {
        #expect(HTTPTestFeed.outcomes([HTTPTestFeed.bytes(text)]) == events)
    }

    @Test(arguments: ["GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.1\r\nHost:\r\n\r\n", "GET / HTTP/1.1\r\nHOST: a\r\n\r\n"])
    func acceptsHostRulesEdgeCases(text: String) {
        #expect(HTTPTestFeed.request(HTTPTestFeed.outcomes([HTTPTestFeed.bytes(text)])) != nil)
    }

    @Test(arguments: [
        ("HTTP/1.1", "Expect: 100-continue", "5", true),
        ("HTTP/1.1", "Expect: 100-Continue", "5", true),
        ("HTTP/1.1", "Expect: 100-continue", "0", false),
        ("HTTP/1.0", "Expect: 100-continue", "5", false),
        ("HTTP/1.1", "Expect: something-else", "5", false),
        ("HTTP/1.1", "X-None: 1", "5", false),
    ])
    func expectsContinueOnlyForHTTP11WithABody(version: String, field: String, length: String, expected: Bool) {
        let events = HTTPRequestParser.parseAll(HTTPTestFeed.bytes("POST / \(version)\r\nHost: x\r\n\(field)\r\nContent-Length: \(length)\r\n\r\n"))
        #expect(events.contains(.expectContinue) == expected)
    }

    @Test func framingIsCheckedOnlyOnceTheHeadIsComplete() {
        var parser = HTTPRequestParser()
        parser.append(HTTPTestFeed.bytes("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n"))
        #expect(parser.next() == .needMoreData)
        parser.append(HTTPTestFeed.bytes("Host: x\r\n\r\n"))
        #expect(parser.next() == .error(.bodyTooLarge(limit: 7 * 1024 * 1024)))
    }
}
