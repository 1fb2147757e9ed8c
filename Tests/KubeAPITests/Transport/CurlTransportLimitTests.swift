import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

/// Timeouts, size limits and configuration checks of `CurlTransport`, against real peers.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportLimitTests {
    @Test func requestTimeoutIsATransportErrorWithinAboutTheTimeout() async throws {
        let server = try ScriptedHTTPServer(always: .stall)
        defer { server.stop() }
        let transport = try server.transport { $0.bearerToken = { SecretText(CurlTransport.testToken) } }
        let started = ContinuousClock.now
        let error = await transport.sendError(KubeRequest(path: "/api/v1/nodes", timeout: .seconds(1)))
        let elapsed = ContinuousClock.now - started
        guard case .transport(_, let reason) = error else { Issue.record("expected a transport error"); return }
        #expect(reason.lowercased().contains("timed out"))
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(3), "took \(elapsed)")
        CurlTransport.expectNoToken(in: error)
        #expect(await server.wait { $0.closedConnections == 1 }, "the timed-out connection is closed")
    }

    @Test func anUnreachableAddressFailsWithinTheConnectTimeout() async throws {
        // 192.0.2.0/24 (TEST-NET-1, RFC 5737) is never routed: the connect hangs until the
        // timeout, or fails at once where there is no route at all.
        var configuration = CurlTransport.Configuration(server: "https://192.0.2.1:6443")
        configuration.connectTimeout = .milliseconds(300)
        let started = ContinuousClock.now
        let error = await (try CurlTransport(configuration: configuration)).sendError(KubeRequest(path: "/version"))
        #expect(ContinuousClock.now - started < .seconds(3))
        guard case .transport = error else { Issue.record("expected a transport error"); return }
    }

    @Test(arguments: [false, true])
    func responseOverTheLimitIsATransportError(chunked: Bool) async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 5_000)
        let reply: ScriptedHTTPServer.Reply = chunked
            ? .chunked(status: 200, pieces: stride(from: 0, to: body.count, by: 500).map { .init(bytes: Array(body[$0..<$0 + 500])) })
            : .response(status: 200, body: body)
        let server = try ScriptedHTTPServer(always: reply)
        defer { server.stop() }
        let transport = try server.transport { $0.maxResponseBytes = 1_000 }
        let error = await transport.sendError(KubeRequest(path: "/api/v1/nodes"))
        guard case .transport(let operation, let reason) = error else { Issue.record("expected a transport error"); return }
        #expect(operation == "GET /api/v1/nodes")
        #expect(reason.contains("larger than the limit of 1000 bytes"))
        let within = try await server.transport { $0.maxResponseBytes = 5_000 }.send(KubeRequest(path: "/api/v1/nodes"))
        #expect(within.body == body, "exactly the limit is accepted")
    }

    @Test(arguments: ["ftp://127.0.0.1/", "127.0.0.1:6443", "", "https://bad host"])
    func refusesAServerThatIsNotAnHTTPSURL(server: String) {
        #expect(throws: KubeAPIError.self) { try CurlTransport(configuration: .init(server: server)) }
    }

    @Test func refusesPlainHTTPUnlessAllowed() throws {
        #expect {
            try CurlTransport(configuration: .init(server: "http://127.0.0.1:8001"))
        } throws: { error in
            guard case .configuration(_, "server", let problem) = error as? KubeAPIError else { return false }
            return problem.contains("plain http")
        }
        var allowed = CurlTransport.Configuration(server: "http://127.0.0.1:8001/")
        allowed.allowPlainHTTP = true
        #expect(try CurlTransport(configuration: allowed).configuration.baseURL == "http://127.0.0.1:8001")
    }

    @Test func refusesAClientCertificateWithoutItsKey() {
        var configuration = CurlTransport.Configuration(server: "https://127.0.0.1:6443")
        configuration.clientCertificate = .pem(Array("-----BEGIN CERTIFICATE-----".utf8))
        #expect(throws: KubeAPIError.configuration(file: nil, field: "clientKey",
                                                   problem: "a client certificate and its key must be given together")) {
            try CurlTransport(configuration: configuration)
        }
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let configuration = CurlTransport.Configuration(server: "https://10.0.0.1:6443")
        #expect(configuration.userAgent == "troxileia/\(TroxileiaVersion.current)")
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.maxResponseBytes == 256 * 1024 * 1024)
        #expect(!configuration.insecureSkipTLSVerify && !configuration.allowPlainHTTP)
        #expect(configuration.certificateAuthority == nil && configuration.bearerToken == nil)
    }
}
