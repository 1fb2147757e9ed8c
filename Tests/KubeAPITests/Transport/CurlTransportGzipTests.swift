import Testing
@testable import KubeAPI

/// `Accept-Encoding: gzip` by default, decoded by libcurl; off on request (issue 18).
@Suite struct CurlTransportGzipTests {
    static let text = #"{"kind":"NodeList","items":[]}"#
    /// `text`, gzip-compressed (Python's gzip.compress, mtime 0).
    static let compressed: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xca, 0xce, 0xcc, 0x4b, 0x51, 0xb2,
        0x52, 0xf2, 0xcb, 0x4f, 0x49, 0xf5, 0xc9, 0x2c, 0x2e, 0x51, 0xd2, 0x51, 0xca, 0x2c, 0x49, 0xcd, 0x2d, 0x56,
        0xb2, 0x8a, 0x8e, 0xad, 0x05, 0x00, 0xfb, 0x80, 0x51, 0x8a, 0x1e, 0x00, 0x00, 0x00,
    ]

    /// A server that compresses only when asked, as kube-apiserver does.
    static func server() throws -> ScriptedHTTPServer {
        try ScriptedHTTPServer { request in
            request.headers["accept-encoding"]?.contains("gzip") == true
                ? .response(status: 200, headers: ["Content-Encoding": "gzip"], body: compressed)
                : .response(status: 200, body: Array(text.utf8))
        }
    }

    @Test func asksForGzipByDefaultAndHandsOnTheDecodedBody() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let response = try await server.transport().send(KubeRequest(path: "/api/v1/nodes"))
        #expect(server.requests.first?.headers["accept-encoding"] == "gzip")
        #expect(String(decoding: response.body, as: UTF8.self) == Self.text)
    }

    @Test func sendsNoAcceptEncodingWhenGzipIsOff() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let response = try await server.transport { $0.acceptGzip = false }.send(KubeRequest(path: "/api/v1/nodes"))
        #expect(server.requests.first?.headers["accept-encoding"] == nil)
        #expect(String(decoding: response.body, as: UTF8.self) == Self.text)
    }

    /// A watch never asks for gzip: a compressed watch-list (kube-apiserver v1.37) is several gzip
    /// members, which libcurl 7.88 fails on after the first.
    @Test func aStreamAsksForNoGzip() async throws {
        let server = try Self.server()
        defer { server.stop() }
        var body: [UInt8] = []
        for try await part in try server.transport().stream(KubeRequest(path: "/api/v1/nodes?watch=1")) {
            if case .body(let bytes) = part { body += bytes }
        }
        #expect(server.requests.first?.headers["accept-encoding"] == nil)
        #expect(String(decoding: body, as: UTF8.self) == Self.text)
    }
}
