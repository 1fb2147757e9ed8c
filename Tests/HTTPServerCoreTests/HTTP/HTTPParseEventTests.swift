import Testing
@testable import HTTPServerCore

@Suite struct HTTPParseEventTests {
    @Test func requestEventsCompareWholeRequestsIncludingBody() {
        let a = HTTPRequest(method: "POST", target: "/", body: [1, 2])
        var b = a
        #expect(HTTPParseEvent.request(a) == .request(b))
        b.body = [1, 3]
        #expect(HTTPParseEvent.request(a) != .request(b))
    }

    @Test func errorEventsCompareStatusAndReason() {
        #expect(HTTPParseEvent.error(HTTPParseError(status: 400, reason: "x")) == .error(HTTPParseError(status: 400, reason: "x")))
        #expect(HTTPParseEvent.error(HTTPParseError(status: 400, reason: "x")) != .error(HTTPParseError(status: 431, reason: "x")))
        #expect(HTTPParseEvent.needMoreData != .expectContinue)
    }
}
