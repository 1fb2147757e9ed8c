import Synchronization
import Testing
import TroxileiaCore
@testable import KubeAPI

/// A 401 to a request with a token drops the token source's cache and tries once more with a fresh
/// credential (issue 13): a revoked or rotated token is not sent forever.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportUnauthorizedTests {
    static let unauthorized = ScriptedHTTPServer.Reply.response(
        status: 401, body: Array(#"{"kind":"Status","code":401,"reason":"Unauthorized"}"#.utf8))

    /// A counter shared with the transport's callbacks.
    final class Count: Sendable {
        private let value = Atomic<Int>(0)
        /// Adds one; returns the new count.
        @discardableResult func next() -> Int { value.add(1, ordering: .relaxed).newValue }
        var current: Int { value.load(ordering: .relaxed) }
    }

    /// A transport whose tokens count up (`token-1`, `token-2`, …) and that counts invalidations.
    static func transport(_ server: ScriptedHTTPServer, invalidations: Count,
                          withToken: Bool = true) throws -> CurlTransport {
        let minted = Count()
        return try server.transport { configuration in
            if withToken {
                configuration.bearerToken = { SecretText("token-\(minted.next())") }
            }
            configuration.invalidateBearerToken = { invalidations.next() }
        }
    }

    @Test func aRefusedTokenIsReplacedAndTheRequestSentOnceMore() async throws {
        let server = try ScriptedHTTPServer { request in
            request.headers["authorization"] == "Bearer token-1" ? Self.unauthorized : .response(status: 200)
        }
        defer { server.stop() }
        let invalidations = Count()
        let response = try await Self.transport(server, invalidations: invalidations).send(KubeRequest(path: "/api/v1/nodes"))
        #expect(response.status == 200)
        #expect(server.requests.map { $0.headers["authorization"] } == ["Bearer token-1", "Bearer token-2"])
        #expect(invalidations.current == 1)
    }

    @Test func aCredentialStillRefusedSurfacesAfterOneRetry() async throws {
        let server = try ScriptedHTTPServer(always: Self.unauthorized)
        defer { server.stop() }
        let invalidations = Count()
        let response = try await Self.transport(server, invalidations: invalidations).send(KubeRequest(path: "/api/v1/nodes"))
        #expect(response.status == 401)
        #expect(server.requests.count == 2, "one retry, not a loop")
        #expect(invalidations.current == 1)
    }

    @Test func aRequestWithoutATokenIsNotRetried() async throws {
        let server = try ScriptedHTTPServer(always: Self.unauthorized)
        defer { server.stop() }
        let invalidations = Count()
        let transport = try Self.transport(server, invalidations: invalidations, withToken: false)
        #expect(try await transport.send(KubeRequest(path: "/api/v1/nodes")).status == 401)
        #expect(server.requests.count == 1 && invalidations.current == 0)
    }

    @Test func aRefusedWatchDropsTheTokenForTheNextAttempt() async throws {
        let server = try ScriptedHTTPServer(always: Self.unauthorized)
        defer { server.stop() }
        let invalidations = Count()
        let transport = try Self.transport(server, invalidations: invalidations)
        var statuses: [Int] = []
        for try await part in transport.stream(KubeRequest(path: "/api/v1/nodes?watch=1", timeout: nil)) {
            if case .head(let status, _) = part { statuses.append(status) }
        }
        #expect(statuses == [401])
        #expect(invalidations.current == 1)
    }

    /// The issue's reproduction: an exec plugin whose token has no expiry is cached for the life of
    /// the process; once the server refuses it, the plugin runs again and its new token is used.
    @Test func anExecTokenWithoutExpiryIsFetchedAgainAfterA401() async throws {
        let plugin = try PluginScript("""
            n=$(wc -l < "$(dirname "$0")/runs")
            printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"exec-token-%s"}}\\n' \
              '\(ExecCredentialPlugin.apiVersionV1)' "$n"
            """)
        let provider = plugin.provider()
        let server = try ScriptedHTTPServer { request in
            request.headers["authorization"] == "Bearer exec-token-1" ? Self.unauthorized : .response(status: 200)
        }
        defer { server.stop() }
        let transport = try server.transport { configuration in
            configuration.bearerToken = { try await provider.token() }
            configuration.invalidateBearerToken = { provider.invalidate() }
        }
        #expect(try await transport.send(KubeRequest(path: "/api/v1/nodes")).status == 200)
        #expect(try await transport.send(KubeRequest(path: "/api/v1/nodes")).status == 200)
        #expect(plugin.runs == 2, "run again once after the 401, then cached")
        #expect(server.requests.map { $0.headers["authorization"] }
                == ["Bearer exec-token-1", "Bearer exec-token-2", "Bearer exec-token-2"])
    }
}
