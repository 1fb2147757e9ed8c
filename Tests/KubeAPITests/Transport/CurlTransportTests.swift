import Foundation
import Synchronization
import Testing
import TroxileiaCore
@testable import KubeAPI

/// `send` against a real scripted HTTP/1.1 peer on 127.0.0.1.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportTests {
    @Test func getReturnsStatusLowerCasedHeadersAndBody() async throws {
        let body = Array(#"{"kind":"NodeList","items":[]}"#.utf8)
        let server = try ScriptedHTTPServer(always: .response(status: 200, headers: ["Content-Type": "application/json",
                                                                                   "X-Kubernetes-PF-FlowSchema-UID": "abc"], body: body))
        defer { server.stop() }
        let transport = try server.transport()
        let response = try await transport.send(KubeRequest(path: "/api/v1/nodes?limit=2", accept: "application/json;as=Table"))
        #expect(response.status == 200)
        #expect(response.body == body)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["x-kubernetes-pf-flowschema-uid"] == "abc")
        #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() })
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/api/v1/nodes?limit=2")
        #expect(request.headers["accept"] == "application/json;as=Table")
        #expect(request.headers["accept-encoding"] == "gzip")  // issue 18: gzip by default
        #expect(request.body.isEmpty)
    }

    @Test(arguments: [KubeRequest.Method.post, .put, .patch, .delete])
    func sendsBodyWithItsContentType(method: KubeRequest.Method) async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 201, body: Array("{}".utf8)))
        defer { server.stop() }
        let transport = try server.transport()
        let payload = Array(#"{"metadata":{"labels":{"sensor":"true"}}}"#.utf8) + [0, 255]
        let response = try await transport.send(KubeRequest(method: method, path: "/api/v1/nodes/n1",
                                                            contentType: "application/merge-patch+json", body: payload))
        #expect(response.status == 201)
        let request = try #require(server.requests.first)
        #expect(request.method == method.rawValue)
        #expect(request.body == payload)
        #expect(request.headers["content-type"] == "application/merge-patch+json")
        #expect(request.headers["expect"] == nil, "no 100-continue round trip")
    }

    @Test func postWithoutBodySendsEmptyContent() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        _ = try await server.transport().send(KubeRequest(method: .post, path: "/x"))
        let request = try #require(server.requests.first)
        #expect(request.headers["content-length"] == "0")
        #expect(request.headers["content-type"] == nil)
    }

    @Test(arguments: [404, 409, 410, 422, 500, 503])
    func errorStatusIsReturnedNotThrown(status: Int) async throws {
        let status404 = Array(#"{"kind":"Status","code":404}"#.utf8)
        let server = try ScriptedHTTPServer(always: .response(status: status, headers: ["Retry-After": "1"], body: status404))
        defer { server.stop() }
        let response = try await server.transport().send(KubeRequest(path: "/api/v1/nodes/missing"))
        #expect(response.status == status)
        #expect(response.body == status404)
        #expect(response.headers["retry-after"] == "1")
    }

    @Test func sendsUserAgentAndReadsTheTokenForEachRequest() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let calls = Mutex(0)
        let transport = try server.transport() { configuration in
            configuration.bearerToken = {
                let call = calls.withLock { $0 += 1; return $0 }
                return SecretText("token-\(call)\n")   // a token file's trailing newline is trimmed
            }
        }
        _ = try await transport.send(KubeRequest(path: "/a"))
        _ = try await transport.send(KubeRequest(path: "/b"))
        let requests = server.requests
        #expect(requests.map { $0.headers["authorization"] } == ["Bearer token-1", "Bearer token-2"])
        #expect(requests.allSatisfy { $0.headers["user-agent"] == "troxileia/\(TroxileiaVersion.current)" })
    }

    @Test func sendsNoAuthorizationForAnEmptyToken() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let transport = try server.transport() { $0.bearerToken = { SecretText("") } }
        _ = try await transport.send(KubeRequest(path: "/a"))
        #expect(server.requests.first?.headers["authorization"] == nil)
    }

    @Test func connectionRefusedIsATransportErrorWithoutTheToken() async throws {
        let port = try ScriptedHTTPServer.unusedPort()
        var configuration = CurlTransport.Configuration(server: "http://127.0.0.1:\(port)")
        configuration.allowPlainHTTP = true
        configuration.bearerToken = { SecretText(CurlTransport.testToken) }
        let transport = try CurlTransport(configuration: configuration)
        let error = await transport.sendError(KubeRequest(path: "/api/v1/nodes?watch=1&resourceVersion=7"))
        guard case .transport(let operation, let reason) = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(operation == "GET /api/v1/nodes")
        #expect(!reason.isEmpty)
        #expect(error.map { "\($0)" }?.hasPrefix("failed to GET /api/v1/nodes: ") == true)
        CurlTransport.expectNoToken(in: error)
    }

    @Test func tokenWithALineBreakIsRefusedWithoutShowingIt() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let transport = try server.transport() { $0.bearerToken = { SecretText(CurlTransport.testToken + "\r\nX-Evil: 1") } }
        let error = await transport.sendError(KubeRequest(path: "/a"))
        #expect(error.map { "\($0)" }?.contains("control character") == true)
        CurlTransport.expectNoToken(in: error)
        #expect(server.requests.isEmpty)
    }

    @Test func headerValueWithALineBreakIsRefused() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let error = await (try server.transport()).sendError(KubeRequest(path: "/a", accept: "a\r\nX-Injected: 1"))
        guard case .transport = error else { Issue.record("expected a transport error"); return }
        #expect(server.requests.isEmpty)
    }

    @Test func tokenProviderFailureIsReported() async throws {
        struct Unreadable: Error {}
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let transport = try server.transport() { $0.bearerToken = { throw Unreadable() } }
        let error = await transport.sendError(KubeRequest(path: "/a"))
        #expect(error.map { "\($0)" }?.contains("could not get the bearer token") == true)
        let passedOn = try server.transport() { $0.bearerToken = { throw KubeAPIError.configuration(file: "/t", field: nil, problem: "gone") } }
        #expect(await passedOn.sendError(KubeRequest(path: "/a")) == .configuration(file: "/t", field: nil, problem: "gone"))
    }

    @Test func aPathWithoutALeadingSlashIsRefused() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let error = await (try server.transport()).sendError(KubeRequest(path: "api/v1/nodes"))
        #expect(error == .transport(operation: "GET api/v1/nodes", reason: "the request path must start with /"))
        #expect(server.requests.isEmpty)
    }
}
