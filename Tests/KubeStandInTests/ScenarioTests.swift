import KubeAPI
import KubeStandIn
import Testing

/// Scenario controls: injected failures, latency, stalls, auth.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ScenarioTests {
    @Test func failsTheNextRequestsWith429AndRetryAfterThenRecovers() async throws {
        try await StandInHarness.run { harness in
            #expect(try await harness.send(.post, "/standin/fail?count=2&code=429&retryAfter=3").status == 200)
            for _ in 0..<2 {
                let response = try await harness.send(.get, "/api/v1/nodes")
                #expect(response.status == 429)
                let status = KubeStatus.from(response)
                #expect(status.reason == "TooManyRequests")
                #expect(status.retryAfter == .seconds(3))
            }
            #expect(try await harness.send(.get, "/api/v1/nodes").status == 200)
            harness.standIn.scenario.failNext(1)
            let failed = try await harness.send(.get, "/api/v1/nodes")
            #expect(failed.status == 500)
            #expect(KubeStatus.from(failed).reason == "InternalError")
        }
    }

    @Test func failsOnlyRequestsUnderAPathPrefixWhenGivenOne() async throws {
        try await StandInHarness.run { (harness: StandInHarness) async throws in
            #expect(try await harness.send(.post, "/standin/fail?count=1&path=/apis/coordination.k8s.io/").status == 200)
            #expect(try await harness.send(.get, "/api/v1/nodes").status == 200, "another path is not failed or counted")
            #expect(try await harness.send(.get, "/apis/coordination.k8s.io/v1/namespaces/ns/leases").status == 500)
            #expect(try await harness.send(.get, "/apis/coordination.k8s.io/v1/namespaces/ns/leases").status == 200)
        }
    }

    @Test func addedLatencyDelaysAnswersWithoutBlockingOthers() async throws {
        try await StandInHarness.run { (harness: StandInHarness) async throws in
            // 3 s each, three at once: answered in parallel they take about 3 s, while any two of them
            // one after the other would take 6 s, so the bound keeps 3 s of margin on a loaded machine.
            #expect(try await harness.send(.post, "/standin/latency?ms=3000").status == 200)
            let clock = ContinuousClock()
            let started = clock.now
            let requests = (0..<3).map { _ in Task { try await harness.send(.get, "/api/v1/nodes") } }
            for request in requests { #expect(try await request.value.status == 200) }
            let elapsed = clock.now - started
            #expect(elapsed >= .milliseconds(3000))
            #expect(elapsed < .milliseconds(6000), "the three waited in parallel")
            #expect(try await harness.send(.post, "/standin/latency?ms=-1").status == 400)
        }
    }

    @Test func aStalledWatchStaysOpenButSendsNothing() async throws {
        try await StandInHarness.run(configuring: { $0.bookmarkInterval = .milliseconds(400) }) { harness in
            try harness.seedFixtureNodes()
            let store = harness.standIn.store
            let lines = try await harness.watchLines("/api/v1/nodes?watch=1&resourceVersion=3&allowWatchBookmarks=true&timeoutSeconds=1",
                                                     count: 1) {
                store.stallWatches()
                _ = try await harness.send(.delete, "/api/v1/nodes/worker-01")
            }
            #expect(lines.isEmpty, "neither the event nor bookmarks arrived; the stream ended at its timeout")
        }
    }

    @Test func aBearerTokenIsRequiredWhenConfigured() async throws {
        try await StandInHarness.run(configuring: { $0.bearerToken = "sesame" }) { harness in
            let response = try await harness.send(.get, "/api/v1/nodes")
            #expect(response.status == 401)
            #expect(response.text == (try Fixture.text("errors/401-unauthorized-bad-token.json")).trimmingCharacters(in: .newlines))
            #expect(try await harness.send(.get, "/standin/state").status == 200, "scenario endpoints stay open")
        }
    }

    @Test func aRotatedTokenRefusesTheOldOne() async throws {
        try await StandInHarness.run(configuring: { $0.bearerToken = "sesame" }) { (harness: StandInHarness) async throws -> Void in
            #expect(try Self.listNodes(harness.port, token: "sesame").hasPrefix("HTTP/1.1 200"))
            #expect(try await harness.send(.post, "/standin/token", body: "open-sesame\n", contentType: "text/plain").status == 200)
            #expect(try Self.listNodes(harness.port, token: "sesame").hasPrefix("HTTP/1.1 401"), "the old token is refused from now on")
            #expect(try Self.listNodes(harness.port, token: "open-sesame").hasPrefix("HTTP/1.1 200"))
        }
    }

    /// The raw answer to a node list sent with `token`.
    private static func listNodes(_ port: UInt16, token: String) throws -> String {
        try RawHTTP.exchange(port: port, "GET /api/v1/nodes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                             + "Connection: close\r\n\r\n")
    }
}
