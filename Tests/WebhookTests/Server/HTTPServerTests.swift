import Foundation
import Testing
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook
import TestSupport

/// The server over real TLS on loopback, with certificates from certs/make-certs.sh.
@Suite(.serialized, .timeLimit(.minutes(2))) struct HTTPServerTests {
    private func withServer(_ body: (TestWebhookServer) async throws -> Void) async throws {
        try await withServer(configure: { _ in }, body)
    }

    private func withServer(configure: (inout HTTPServer.Configuration) -> Void,
                            _ body: (TestWebhookServer) async throws -> Void) async throws {
        let server = try TestWebhookServer(configure: configure, certificates: TestCertificates.shared)
        try server.start()
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    // MARK: Admission over TLS

    @Test func allowsDeniesAndWarnsOverTLS() async throws {
        try await withServer { server in
            let client = try server.client()
            #expect(client.negotiatedProtocol == "http/1.1")
            let allowed = try client.exchange(body: ReviewBuilder.review(name: "w", new: ["port": "1_1_x7"], images: 40))
            #expect(allowed.status == 200)
            #expect(allowed.header("Content-Type") == "application/json")
            #expect(ReviewBuilder.response(allowed.body)?["allowed"] as? Bool == true)

            let duplicate = try client.exchange(body: ReviewBuilder.review(name: "w2", new: ["port": "1_1_x1"]))
            let denied = try #require(ReviewBuilder.response(duplicate.body))
            #expect(denied["allowed"] as? Bool == false)
            #expect(((denied["status"] as? [String: Any])?["message"] as? String)?.contains("node sensor-01") == true)

            let malformed = try client.exchange(body: ReviewBuilder.review(name: "w3", new: ["port": "1/1/x9"]))
            #expect(((ReviewBuilder.response(malformed.body)?["status"] as? [String: Any])?["message"] as? String)?
                .contains("write 1_1_x9") == true)
            let sensor = try client.exchange(body: ReviewBuilder.review(name: "w4", new: ["sensor": "yes"]))
            #expect(ReviewBuilder.response(sensor.body)?["allowed"] as? Bool == false)

            let warned = try client.exchange(body: ReviewBuilder.review(name: "w5", operation: "CREATE", old: nil, new: ["sensor": "true"]))
            #expect((ReviewBuilder.response(warned.body)?["warnings"] as? [String])?.count == 1)

            let status = try client.exchange(body: ReviewBuilder.review(name: "w6", new: ["port": "1_1_x2"], subResource: "status"))
            #expect(ReviewBuilder.response(status.body)?["allowed"] as? Bool == false, "labels changed via nodes/status are judged too")
        }
    }

    @Test func selectsHTTP11WhenOfferedH2AndNeverH2Alone() async throws {
        try await withServer { server in
            let both = try server.client(alpn: ["h2", "http/1.1"])
            let h2Only = try server.client(alpn: ["h2"])
            let none = try server.client(alpn: [])
            #expect(both.negotiatedProtocol == "http/1.1")
            #expect(h2Only.negotiatedProtocol == nil)
            #expect(none.negotiatedProtocol == nil)
        }
    }

    @Test func servesManyRequestsOnOneKeepAliveConnection() async throws {
        try await withServer { server in
            let client = try server.client()
            for index in 0..<50 {
                let response = try client.exchange(path: "/validate?timeout=5s",
                                                   body: ReviewBuilder.review(name: "n\(index)", new: ["sensor": "false"]))
                #expect(response.status == 200)
                #expect(response.header("Connection") == nil)
            }
        }
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        try await withServer { server in
            let client = try server.client()
            let first = ReviewBuilder.review(uid: "first", name: "a", new: ["sensor": "false"])
            let second = ReviewBuilder.review(uid: "second", name: "b", new: ["port": "1_1_x1"])
            try client.send(TLSTestClient.request(body: first) + TLSTestClient.request(body: second)
                            + TLSTestClient.request(method: "GET", path: "/nope", contentType: nil))
            #expect(ReviewBuilder.response(try client.readResponse().body)?["uid"] as? String == "first")
            #expect(ReviewBuilder.response(try client.readResponse().body)?["uid"] as? String == "second")
            #expect(try client.readResponse().status == 404)
        }
    }

    @Test func answersAHalfClosedClientThenCloses() async throws {
        try await withServer { server in
            let client = try TLSTestClient(port: server.probePort, caFile: nil)
            try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            client.shutdownWrite()
            #expect(try client.readResponse().status == 200)
            #expect(try client.readUntilClosed().isEmpty)
        }
    }

    // MARK: Bad input

    @Test(arguments: [
        ("GET", "/validate", "application/json", 405),
        ("POST", "/other", "application/json", 404),
        ("POST", "/validate", "text/plain", 415),
        ("POST", "/validate", "application/jsonx", 415),
    ])
    func refusesWrongMethodPathAndContentType(method: String, path: String, contentType: String, status: Int) async throws {
        try await withServer { server in
            let response = try server.client().exchange(method: method, path: path, body: Array("{}".utf8), contentType: contentType)
            #expect(response.status == status)
            #expect(response.text.hasPrefix(#"{"error":"#))
        }
    }

    @Test(arguments: ["", "{", "null", #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"}"#, "\u{0}\u{1}"])
    func refusesUndecodableReviewsWith400(body: String) async throws {
        try await withServer { server in
            let client = try server.client()
            let response = try client.exchange(body: Array(body.utf8))
            #expect(response.status == 400)
            #expect(response.text.hasPrefix(#"{"error":"#))
            #expect(try client.exchange(body: ReviewBuilder.review(name: "x", new: [:])).status == 200, "the connection stays usable")
        }
    }

    @Test func refusesAnOversizedBodyWith413BeforeReadingIt() async throws {
        try await withServer(configure: { $0.parser.maxBodyBytes = 64 * 1024 }) { server in
            let client = try server.client()
            try client.send("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(try client.readUntilClosed().isEmpty)
        }
    }

    @Test func refusesOversizedHeadersWith431() async throws {
        try await withServer { server in
            let client = try server.client()
            try client.send("POST /validate HTTP/1.1\r\nHost: x\r\nX-Filler: \(String(repeating: "a", count: 17 * 1024))\r\n\r\n")
            #expect(try client.readResponse().status == 431)
        }
    }

    @Test func refusesAChunkedBodyWithA4xx() async throws {
        try await withServer { server in
            let client = try server.client()
            try client.send("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 411)
            #expect(response.text.contains("Content-Length"))
        }
    }

    @Test func refusesTheHTTP2PrefaceWith505() async throws {
        try await withServer { server in
            let client = try server.client(alpn: ["h2"])
            try client.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            #expect(try client.readResponse().status == 505)
        }
    }

    @Test func closesSlowHeadersWith408() async throws {
        try await withServer(configure: { $0.headerReadTimeout = .milliseconds(300) }) { server in
            let client = try server.client()
            try client.send("POST /validate HTTP/1.1\r\nHost: x\r\n")
            let started = ContinuousClock.now
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(try client.readUntilClosed().isEmpty)
        }
    }

    @Test func closesIdleKeepAliveConnections() async throws {
        try await withServer(configure: { $0.idleTimeout = .milliseconds(300) }) { server in
            let client = try server.client()
            #expect(try client.exchange(body: ReviewBuilder.review(name: "x", new: [:])).status == 200)
            #expect(try client.readUntilClosed().isEmpty)
        }
    }

    @Test func dropsAndCountsTLSGarbageAndStalledHandshakes() async throws {
        try await withServer(configure: { $0.handshakeTimeout = .milliseconds(300) }) { server in
            let garbage = try TLSTestClient(port: server.webhookPort, caFile: nil)
            try garbage.send(Array(repeating: 0x16, count: 5) + Array(repeating: 0xFF, count: 300))
            _ = try garbage.readUntilClosed()
            let stalled = try TLSTestClient(port: server.webhookPort, caFile: nil)
            #expect(try stalled.readUntilClosed().isEmpty)
            let metrics = try server.metricsText()
            #expect(metrics.contains(#"troxileia_webhook_tls_handshake_failures_total{listener="webhook",reason="protocol_error"} 1"#))
            #expect(metrics.contains(#"troxileia_webhook_tls_handshake_failures_total{listener="webhook",reason="timeout"} 1"#))
            #expect(try server.client().exchange(body: ReviewBuilder.review(name: "x", new: [:])).status == 200)
        }
    }

    @Test func answersPlainHTTPOnTheTLSPortWithAReadableError() async throws {
        try await withServer { server in
            let client = try TLSTestClient(port: server.webhookPort, caFile: nil)
            try client.send("GET /validate HTTP/1.1\r\nHost: x\r\n\r\n")
            let reply = String(decoding: try client.readUntilClosed(), as: UTF8.self)
            #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request"))
            #expect(reply.contains("HTTP request to an HTTPS server"))
        }
    }

    @Test func refusesConnectionsBeyondTheLimitWithoutDisturbingOthers() async throws {
        try await withServer(configure: { $0.maxConnections = 3 }) { server in
            var held = try (0..<3).map { _ in try server.probeClient() }
            for client in held { #expect(try client.exchange(method: "GET", path: "/healthz").status == 200) }
            let extra = try TLSTestClient(port: server.webhookPort, caFile: nil)
            #expect(try extra.readUntilClosed().isEmpty, "closed at once")
            for client in held { #expect(try client.exchange(method: "GET", path: "/healthz").status == 200) }
            let metrics = try held[0].exchange(method: "GET", path: "/metrics").text
            #expect(metrics.contains(#"troxileia_webhook_connections_refused_total{listener="webhook"} 1"#))
            held.removeAll()
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.server.connectionCount == 0)
        }
    }
}
