import Testing
@testable import HTTPServerCore

@Suite struct HTTPRequestParserTests {
    static let simpleGet = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
    static let postWithBody = "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"a\":\"bcd\"}"
    static let expectingPost = "POST /v HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"
    static let closingGet10 = "GET /readyz?verbose HTTP/1.0\r\nConnection: close\r\n\r\n"

    /// Requests whose outcome must not depend on how they are cut: single, pipelined, with a
    /// leading empty line, and with a refused request after an accepted one.
    static let samples: [String] = [
        simpleGet, postWithBody, expectingPost, closingGet10,
        simpleGet + postWithBody,
        postWithBody + simpleGet + expectingPost,
        "\r\n" + simpleGet,
        simpleGet + "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        postWithBody + "\u{16}\u{03}\u{01}",
    ]

    @Test func parsesASimpleGet() throws {
        let events = HTTPRequestParser.parseAll(HTTPTestFeed.bytes(Self.simpleGet))
        #expect(events.last == .needMoreData)
        let request = try #require(HTTPTestFeed.request(Array(events.dropLast())))
        #expect(request.method == "GET")
        #expect(request.target == "/healthz")
        #expect(request.path == "/healthz")
        #expect(request.query == nil)
        #expect(request.version == .http1_1)
        #expect(request.headers == HTTPHeaders([(name: "Host", value: "localhost")]))
        #expect(request.body.isEmpty)
        #expect(request.keepAlive)
    }

    @Test func parsesAPostWithItsBody() throws {
        let request = try #require(HTTPTestFeed.request(HTTPTestFeed.outcomes([HTTPTestFeed.bytes(Self.postWithBody)])))
        #expect(request.method == "POST")
        #expect(request.body == Array("{\"a\":\"bcd\"}".utf8))
        #expect(request.headers["content-type"] == "application/json")
    }

    @Test func splitsTheTargetIntoPathAndQuery() throws {
        let text = "POST /validate?timeout=5s HTTP/1.1\r\nHost: x\r\n\r\n"
        let request = try #require(HTTPTestFeed.request(HTTPTestFeed.outcomes([HTTPTestFeed.bytes(text)])))
        #expect(request.path == "/validate")
        #expect(request.query == "timeout=5s")
    }

    /// The captured kube-apiserver v1.36 request, byte for byte. The file already uses CRLF line
    /// endings (checked with `od -c`), so it is fed unchanged.
    @Test func parsesTheRealKubeAPIServerRequest() throws {
        let bytes = try HTTPFixtures.bytes("02-label-port-added.request.http")
        let request = try #require(HTTPTestFeed.request(HTTPTestFeed.outcomes([bytes])))
        #expect(request.method == "POST")
        #expect(request.target == "/validate?timeout=5s")
        #expect(request.path == "/validate")
        #expect(request.query == "timeout=5s")
        #expect(request.version == .http1_1)
        #expect(request.headers == HTTPHeaders([
            (name: "Host", value: "127.0.0.1:9444"),
            (name: "User-Agent", value: "kube-apiserver-admission"),
            (name: "Content-Length", value: "2668"),
            (name: "Accept", value: "application/json, */*"),
            (name: "Content-Type", value: "application/json"),
            (name: "Accept-Encoding", value: "gzip"),
        ]))
        #expect(request.body.count == 2668)
        #expect(request.body.starts(with: Array("{\"kind\":\"AdmissionReview\"".utf8)))
        #expect(request.body == Array(bytes.suffix(2668)))
        #expect(request.keepAlive)
    }

    @Test(arguments: ["02-label-port-added.request.http", "08-label-port-removed.request.http"])
    func fixtureParsesTheSameWhateverTheSplit(name: String) throws {
        let bytes = try HTTPFixtures.bytes(name)
        let whole = HTTPTestFeed.outcomes([bytes])
        #expect(HTTPTestFeed.request(whole)?.body.count == Int(HTTPTestFeed.request(whole)?.headers["Content-Length"] ?? ""))
        for offset in 0...bytes.count {
            #expect(HTTPTestFeed.outcomes(HTTPTestFeed.split(bytes, at: offset)) == whole, "split at \(offset)")
        }
        #expect(HTTPTestFeed.outcomes(HTTPTestFeed.byteByByte(bytes)) == whole)
    }

    @Test(arguments: samples)
    func sameOutcomeWhateverTheSplit(text: String) {
        let bytes = HTTPTestFeed.bytes(text)
        let whole = HTTPTestFeed.outcomes([bytes])
        #expect(!whole.isEmpty)
        for offset in 0...bytes.count {
            #expect(HTTPTestFeed.outcomes(HTTPTestFeed.split(bytes, at: offset)) == whole, "split at \(offset)")
        }
        #expect(HTTPTestFeed.outcomes(HTTPTestFeed.byteByByte(bytes)) == whole)
    }

    @Test func returnsPipelinedRequestsInOrder() {
        let two = HTTPTestFeed.outcomes([HTTPTestFeed.bytes(Self.simpleGet + Self.postWithBody)])
        #expect(two.map(Self.method) == ["GET", "POST"])
        let three = HTTPTestFeed.outcomes([HTTPTestFeed.bytes(Self.postWithBody + Self.simpleGet + Self.closingGet10)])
        #expect(three.map(Self.method) == ["POST", "GET", "GET"])
        #expect(three.map(Self.keepAlive) == [true, true, false])
    }

    @Test func returnsAnAcceptedRequestBeforeAPipelinedRefusal() {
        let events = HTTPTestFeed.outcomes([HTTPTestFeed.bytes(Self.simpleGet + "BAD\u{0} / HTTP/1.1\r\n")])
        #expect(events.count == 2)
        #expect(events.first.map(Self.method) == "GET")
        #expect(events.last == .error(.malformedRequestLine))
    }

    @Test func asksForContinueOnceWhileTheBodyIsMissing() {
        let text = Self.expectingPost
        let head = HTTPTestFeed.bytes(String(text.dropLast(5)))
        var parser = HTTPRequestParser()
        parser.append(head)
        #expect(parser.next() == .expectContinue)
        #expect(parser.next() == .needMoreData)
        parser.append(Array("hel".utf8))
        #expect(parser.next() == .needMoreData)
        parser.append(Array("lo".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.body == Array("hello".utf8))
        #expect(parser.next() == .needMoreData)
    }

    @Test func asksForContinueExactlyOnceWhenFedByteByByte() {
        let events = HTTPTestFeed.events(HTTPTestFeed.byteByByte(HTTPTestFeed.bytes(Self.expectingPost)))
        #expect(events.filter { $0 == .expectContinue }.count == 1)
        #expect(events.first == .expectContinue)
        #expect(events.count == 2)
    }

    @Test func doesNotAskForContinueWhenTheBodyAlreadyArrived() {
        let events = HTTPRequestParser.parseAll(HTTPTestFeed.bytes(Self.expectingPost))
        #expect(!events.contains(.expectContinue))
        #expect(events.count == 2)
    }

    @Test func asksForContinueForAPipelinedRequestWhoseBodyIsMissing() {
        let text = Self.simpleGet + String(Self.expectingPost.dropLast(5))
        let events = HTTPRequestParser.parseAll(HTTPTestFeed.bytes(text))
        #expect(events.count == 3)
        #expect(events.dropFirst().first == .expectContinue)
        #expect(events.last == .needMoreData)
    }

    @Test func staysFailedAndDropsLaterBytes() {
        var parser = HTTPRequestParser()
        parser.append(HTTPTestFeed.bytes("GET / HTTP/9.9\r\n"))
        let first = parser.next()
        #expect(first == .error(.unsupportedVersion(HTTPVersion(major: 9, minor: 9))))
        parser.append(HTTPTestFeed.bytes(Self.simpleGet))
        #expect(parser.bufferedByteCount == 0)
        for _ in 0..<3 { #expect(parser.next() == first) }
        #expect(!parser.hasBufferedBytes)
        #expect(!parser.isIdle)
    }

    @Test func tellsAnIdleConnectionFromASlowRequest() {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle && !parser.hasBufferedBytes)
        parser.append(HTTPTestFeed.bytes("GE"))
        #expect(parser.next() == .needMoreData)
        #expect(parser.hasBufferedBytes && !parser.isIdle)
        parser.append(HTTPTestFeed.bytes("T / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n"))
        #expect(parser.next() == .needMoreData)
        #expect(parser.bufferedByteCount == 0)
        #expect(parser.hasBufferedBytes && !parser.isIdle)
        parser.append([1, 2])
        guard case .request = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(parser.isIdle && !parser.hasBufferedBytes)
    }

    @Test func parseAllStopsAtTheFirstWaitOrError() {
        #expect(HTTPRequestParser.parseAll([]) == [.needMoreData])
        let events = HTTPRequestParser.parseAll(HTTPTestFeed.bytes(Self.simpleGet + "\u{0}" + Self.simpleGet))
        #expect(events.count == 2)
        #expect(events.last == .error(.malformedRequestLine))
    }

    /// A long keep-alive connection: 2,000 requests arriving in reads that cut them anywhere
    /// leave the buffer small, because consumed bytes are compacted away.
    @Test func compactsConsumedBytesOnALongConnection() {
        let stream = HTTPTestFeed.bytes(String(repeating: Self.postWithBody, count: 2_000))
        var parser = HTTPRequestParser()
        var requests = 0
        var largestCapacity = 0
        var start = 0
        while start < stream.count {
            let end = min(start + 997, stream.count)
            parser.append(Array(stream[start..<end]))
            start = end
            while case .request = parser.next() { requests += 1 }
            largestCapacity = max(largestCapacity, parser.buffer.capacity)
        }
        #expect(requests == 2_000)
        #expect(largestCapacity < 4 * 1024)
        #expect(parser.isIdle)
    }

    @Test func releasesALargeBodyOnceConsumed() {
        let body = [UInt8](repeating: 0x41, count: 1 << 20)
        var parser = HTTPRequestParser()
        parser.append(HTTPTestFeed.bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n") + body)
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.body.count == body.count)
        #expect(parser.buffer.capacity <= HTTPRequestParser.retainedCapacity)
    }

    /// A 20 KB head, in one chunk or byte by byte, has each byte examined exactly once: the scan
    /// resumes where it stopped instead of rescanning the buffer.
    @Test(arguments: [1, 7, 20_000])
    func examinesEachHeadByteOnce(chunkSize: Int) {
        var text = "POST /validate HTTP/1.1\r\nHost: x\r\n"
        for index in 0..<200 { text += "X-Header-\(index): " + String(repeating: "v", count: 80) + "\r\n" }
        text += "Content-Length: 20000\r\n\r\n"
        let head = HTTPTestFeed.bytes(text)
        let bytes = head + [UInt8](repeating: 0x7B, count: 20_000)
        var parser = HTTPRequestParser(configuration: .init(maxHeaderBytes: 64 * 1024))
        var requests: [HTTPRequest] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            parser.append(Array(bytes[start..<end]))
            start = end
            if case .request(let request) = parser.next() { requests.append(request) }
        }
        #expect(requests.count == 1)
        #expect(requests.first?.headers.count == 202)
        #expect(parser.bytesExamined == head.count)
    }

    private static func method(_ event: HTTPParseEvent) -> String? {
        if case .request(let request) = event { return request.method }
        return nil
    }

    private static func keepAlive(_ event: HTTPParseEvent) -> Bool? {
        if case .request(let request) = event { return request.keepAlive }
        return nil
    }
}
