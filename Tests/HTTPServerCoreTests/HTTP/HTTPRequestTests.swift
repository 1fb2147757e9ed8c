import Testing
@testable import HTTPServerCore

@Suite struct HTTPRequestTests {
    @Test(arguments: [
        ("/validate?timeout=5s", "/validate", "timeout=5s"),
        ("/healthz", "/healthz", nil),
        ("/a?", "/a", ""),
        ("/a?b?c", "/a", "b?c"),
        ("?x=1", "", "x=1"),
        ("*", "*", nil),
    ] as [(String, String, String?)])
    func splitsTargetIntoPathAndQuery(target: String, path: String, query: String?) {
        let request = HTTPRequest(method: "GET", target: target)
        #expect(request.path == path)
        #expect(request.query == query)
    }

    @Test(arguments: [
        (HTTPVersion.http1_1, [], true),
        (.http1_1, ["close"], false),
        (.http1_1, ["Close"], false),
        (.http1_1, ["keep-alive, close"], false),
        (.http1_1, ["Upgrade", " CLOSE "], false),
        (.http1_1, ["closed"], true),
        (.http1_1, ["keep-alive"], true),
        (.http1_0, [], false),
        (.http1_0, ["keep-alive"], true),
        (.http1_0, ["Keep-Alive"], true),
        (.http1_0, ["foo, keep-alive"], true),
        (.http1_0, ["keep-alive", "close"], false),
        (.http1_0, ["keep-alive-ish"], false),
        (HTTPVersion(major: 2, minor: 0), [], false),
    ] as [(HTTPVersion, [String], Bool)])
    func keepAliveFollowsVersionAndConnectionOptions(version: HTTPVersion, connection: [String], expected: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "x")
        for value in connection { headers.add(name: "Connection", value: value) }
        #expect(HTTPRequest(method: "GET", target: "/", version: version, headers: headers).keepAlive == expected)
    }

    @Test func defaultsToHTTP11WithoutHeadersOrBody() {
        let request = HTTPRequest(method: "GET", target: "/")
        #expect(request.version == .http1_1)
        #expect(request.headers.isEmpty)
        #expect(request.body.isEmpty)
    }
}
