import Testing
@testable import HTTPServerCore

@Suite struct HTTPResponseReasonPhraseTests {
    @Test(arguments: [
        (100, "Continue"), (200, "OK"), (204, "No Content"), (400, "Bad Request"), (403, "Forbidden"),
        (404, "Not Found"), (405, "Method Not Allowed"), (408, "Request Timeout"), (411, "Length Required"),
        (413, "Content Too Large"), (415, "Unsupported Media Type"), (431, "Request Header Fields Too Large"),
        (500, "Internal Server Error"), (503, "Service Unavailable"), (505, "HTTP Version Not Supported"),
    ])
    func namesEveryStatusTheWebhookSends(status: Int, phrase: String) {
        #expect(HTTPResponse.reasonPhrase(for: status) == phrase)
        let line = String(decoding: HTTPResponse(status: status).serialized(keepAlive: true), as: UTF8.self)
        #expect(line.hasPrefix("HTTP/1.1 \(status) \(phrase)\r\n"))
    }

    @Test(arguments: [299, 599, 999, 0, -1])
    func callsUnlistedStatusesUnknown(status: Int) {
        #expect(HTTPResponse.reasonPhrase(for: status) == "Unknown")
    }
}
