import KubeStandIn
import Logging
import Testing
@testable import KubeAPI

/// The typed client over the API stand-in: Status errors and 429 handling.
@Suite(.serialized, .timeLimit(.minutes(1))) struct KubeClientTests {
    private func withClient(_ body: (KubeStandIn, KubeClient) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let standIn = try KubeStandIn(logger: logger)
        let port = try standIn.start()
        let client = try KubeStandIn.client(port: port, logger: logger)
        do { try await body(standIn, client) } catch { await standIn.shutdown(); throw error }
        await standIn.shutdown()
    }

    @Test func retriesAThrottledReadAfterItsRetryAfter() async throws {
        try await withClient { standIn, client in
            standIn.scenario.failNext(2, code: 429, retryAfterSeconds: 1)
            let started = ContinuousClock.now
            let response = try await client.send(KubeRequest(path: "/api/v1/nodes"))
            #expect(response.status == 200)
            #expect(ContinuousClock.now - started >= .seconds(2), "waited Retry-After twice")
        }
    }

    @Test func givesUpOnThrottledReadsAfterThreeRetriesAndNeverRetriesWrites() async throws {
        try await withClient { standIn, client in
            standIn.scenario.failNext(10, code: 429, retryAfterSeconds: 0)
            do {
                _ = try await client.send(KubeRequest(path: "/api/v1/nodes"))
                Issue.record("expected 429")
            } catch {
                guard case .status(let status)? = error as? KubeAPIError else { Issue.record("\(error)"); return }
                #expect(status.code == 429 && status.retryAfter == .zero)
            }
            standIn.scenario.failNext(1, code: 429, retryAfterSeconds: 5)
            do {
                _ = try await client.send(KubeRequest(method: .post, path: "/api/v1/nodes", contentType: "application/json",
                                                      body: Array(#"{"metadata":{"name":"n"}}"#.utf8)))
                Issue.record("expected 429")
            } catch {
                guard case .status(let status)? = error as? KubeAPIError else { Issue.record("\(error)"); return }
                #expect(status.code == 429 && status.retryAfter == .seconds(5), "a write surfaces the 429 at once")
            }
        }
    }

    @Test func turnsStatusBodiesIntoTypedErrors() async throws {
        try await withClient { _, client in
            do {
                _ = try await client.send(KubeRequest(path: "/api/v1/nodes/missing"))
                Issue.record("expected 404")
            } catch {
                guard case .status(let status)? = error as? KubeAPIError else { Issue.record("\(error)"); return }
                #expect(status.isNotFound && status.reason == "NotFound")
            }
        }
    }
}
