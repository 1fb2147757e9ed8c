import Testing
@testable import HTTPServerCore

@Suite struct HTTPResponseTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The head's lines, without the final empty line and the body.
    private func headLines(_ bytes: [UInt8]) -> [String] {
        let whole = text(bytes)
        let head = whole.components(separatedBy: "\r\n\r\n").first ?? ""
        return head.components(separatedBy: "\r\n")
    }

    @Test func serializesATextResponse() {
        let bytes = HTTPResponse.text(200, "ok").serialized(keepAlive: true)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nok")
    }

    @Test func serializesAJSONResponseWithClose() {
        let body = Array("{\"a\":1}".utf8)
        let bytes = HTTPResponse.json(200, body).serialized(keepAlive: false)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}")
    }

    @Test func computesContentLengthAndDropsTheCallersFraming() {
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "999")
        headers.add(name: "Connection", value: "keep-alive")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        headers.add(name: "X-Kept", value: "1")
        let lines = headLines(HTTPResponse(status: 404, headers: headers, body: [1, 2, 3]).serialized(keepAlive: true))
        #expect(lines == ["HTTP/1.1 404 Not Found", "X-Kept: 1", "Content-Length: 3"])
    }

    @Test func alwaysSendsContentLengthEvenWhenEmpty() {
        #expect(headLines(HTTPResponse(status: 500).serialized(keepAlive: false))
            == ["HTTP/1.1 500 Internal Server Error", "Content-Length: 0", "Connection: close"])
    }

    @Test(arguments: [
        "a\r\nSet-Cookie: evil=1", "a\rSet-Cookie: evil=1", "a\nSet-Cookie: evil=1",
        "\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: evil=1", "a\u{0}\u{7F}\u{1B}Set-Cookie: evil=1",
    ])
    func neutralisesLineBreaksInValues(value: String) {
        var headers = HTTPHeaders()
        headers.add(name: "X-Echo", value: value)
        let bytes = HTTPResponse(status: 200, headers: headers, body: Array("body".utf8)).serialized(keepAlive: true)
        let lines = headLines(bytes)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("X-Echo: "))
        #expect(lines[1].contains("Set-Cookie: evil=1"))
        #expect(!lines.dropFirst().contains { $0.hasPrefix("Set-Cookie") || $0.hasPrefix("HTTP/") })
        // Three head lines and the empty line: exactly four CRs and four LFs, all in CRLF pairs.
        #expect(bytes.filter { $0 == 0x0D }.count == 4)
        #expect(bytes.filter { $0 == 0x0A }.count == 4)
        #expect(!lines[1].utf8.contains { $0 < 0x20 || $0 == 0x7F })
        #expect(text(bytes).hasSuffix("\r\n\r\nbody"))
    }

    @Test(arguments: ["X\r\nSet-Cookie", "X Y", "", "X:Y", "Ünï"])
    func dropsFieldsWhoseNameIsNotAToken(name: String) {
        var headers = HTTPHeaders()
        headers.add(name: name, value: "v")
        #expect(headLines(HTTPResponse(status: 204, headers: headers).serialized(keepAlive: true)) == ["HTTP/1.1 204 No Content"])
    }

    @Test func keepsTabsInsideValuesAndTrimsTheEnds() {
        var headers = HTTPHeaders()
        headers.add(name: "X-T", value: " a\tb \r\n")
        #expect(headLines(HTTPResponse(status: 200, headers: headers).serialized(keepAlive: true))[1] == "X-T: a\tb")
    }

    @Test(arguments: [100, 101, 204, 304])
    func sendsNoContentLengthOrBodyWhereTheStatusForbidsIt(status: Int) {
        let bytes = HTTPResponse(status: status, body: [1, 2]).serialized(keepAlive: status >= 200)
        #expect(!text(bytes).contains("Content-Length"))
        #expect(text(bytes).hasSuffix("\r\n\r\n"))
    }

    @Test func interimResponsesNeverCarryConnectionClose() {
        #expect(HTTPResponse(status: 100).serialized(keepAlive: false) == HTTPResponse.continueBytes)
        #expect(text(HTTPResponse.continueBytes) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test(arguments: [0, 42, 1_000, -200, Int.max])
    func sendsImpossibleStatusesAs500(status: Int) {
        #expect(headLines(HTTPResponse(status: status).serialized(keepAlive: true))[0] == "HTTP/1.1 500 Internal Server Error")
    }

    @Test func turnsAParseErrorIntoItsResponse() {
        let response = HTTPResponse.parseError(.transferEncodingNotSupported)
        #expect(response.status == 411)
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(text(response.body) == HTTPParseError.transferEncodingNotSupported.reason + "\n")
    }
}
