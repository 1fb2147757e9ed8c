import KubeAPI
import KubeStandIn
import Testing

/// Lists: pagination, label selectors, the KubeAPI decoders as the contract.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ListTests {
    @Test func pagesWithContinueAndRemainingItemCount() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let first = try await harness.send(.get, "/api/v1/nodes?limit=2")
            let page1 = try ListPage.decode(first.body, as: NodeCodec.self)
            #expect(page1.items.map(\.key) == ["sensor-01", "sensor-02"])
            #expect(try first.json()["metadata"]?["remainingItemCount"] == .int(1))
            let token = try #require(page1.continueToken)
            let fixturePage1 = try Fixture.json("list/nodes-list-limit2-page1.json")
            #expect(try first.json()["metadata"]?.keys == fixturePage1["metadata"]?.keys)
            let second = try await harness.send(.get, "/api/v1/nodes?limit=2&continue=\(KubeClient.escapeQueryValue(token))")
            let page2 = try ListPage.decode(second.body, as: NodeCodec.self)
            #expect(page2.items.map(\.key) == ["worker-01"])
            #expect(page2.continueToken == nil)
            #expect(page2.resourceVersion == page1.resourceVersion, "later pages report the first page's snapshot")
            let fixturePage2 = try Fixture.json("list/nodes-list-limit2-page2.json")
            #expect(try second.json()["metadata"]?.keys == fixturePage2["metadata"]?.keys)
        }
    }

    /// The stand-in keeps keys sorted between writes; a node created or deleted between two pages
    /// shows on the next page (as it does in the stand-in's current-objects pages).
    @Test func aWriteBetweenPagesShowsOnTheNextPage() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let first = try ListPage.decode(try await harness.send(.get, "/api/v1/nodes?limit=1").body, as: NodeCodec.self)
            #expect(first.items.map(\.key) == ["sensor-01"])
            _ = try await harness.send(.post, "/api/v1/nodes", body: #"{"metadata":{"name":"sensor-015"}}"#)
            _ = try await harness.send(.delete, "/api/v1/nodes/worker-01")
            let token = KubeClient.escapeQueryValue(try #require(first.continueToken))
            let rest = try ListPage.decode(try await harness.send(.get, "/api/v1/nodes?limit=5&continue=\(token)").body, as: NodeCodec.self)
            #expect(rest.items.map(\.key) == ["sensor-015", "sensor-02"])
        }
    }

    @Test(arguments: [
        ("sensor=true", ["sensor-01", "sensor-02"]),
        ("sensor==true", ["sensor-01", "sensor-02"]),
        ("sensor!=true", ["worker-01"]),
        ("port in (1_1_x1,1_1_x9)", ["sensor-01"]),
        ("port notin (1_1_x1)", ["sensor-02", "worker-01"]),
        ("port", ["sensor-01", "sensor-02"]),
        ("!port", ["worker-01"]),
        ("sensor=true,port=1_1_x2", ["sensor-02"]),
        ("", ["sensor-01", "sensor-02", "worker-01"]),
    ])
    func selectsByLabel(selector: String, expected: [String]) async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let response = try await harness.send(.get, "/api/v1/nodes?labelSelector=\(KubeClient.escapeQueryValue(selector))")
            #expect(response.status == 200)
            #expect(try ListPage.decode(response.body, as: NodeCodec.self).items.map(\.key) == expected)
        }
    }

    @Test(arguments: ["port in (", "=x", "a b c", "port in ()", String(repeating: "k", count: 400)])
    func rejectsAMalformedSelectorWithA400Status(selector: String) async throws {
        try await StandInHarness.run { harness in
            let response = try await harness.send(.get, "/api/v1/nodes?labelSelector=\(KubeClient.escapeQueryValue(selector))")
            #expect(response.status == 400)
            #expect(KubeStatus.from(response).reason == "BadRequest")
        }
    }

    @Test func listsPodsAcrossNamespacesWithASetSelectorLikeTheCapture() async throws {
        try await StandInHarness.run { harness in
            try harness.standIn.load(.pods, document: try Fixture.bytes("pods/pods-list-selector.json"))
            _ = try harness.standIn.add(.pods, Array(#"{"metadata":{"name":"web","namespace":"default","labels":{"app":"nginx"}},"spec":{}}"#.utf8))
            let all = try await harness.send(.get, "/api/v1/pods?labelSelector=app%20in%20%28zeek%2Csuricata%29")
            let fixture = try Fixture.json("pods/pods-list-selector.json")
            let body = try all.json()
            #expect(body.keys == fixture.keys)
            #expect(body["kind"] == .string("PodList"))
            #expect(try ListPage.decode(all.body, as: PodCodec.self).items.count == 3)
            let inDefault = try await harness.send(.get, "/api/v1/namespaces/default/pods")
            #expect(try ListPage.decode(inDefault.body, as: PodCodec.self).items.count == 1)
            let one = try await harness.send(.get, "/api/v1/namespaces/default/pods/web")
            #expect(try one.json()["kind"] == .string("Pod"))
        }
    }

    @Test func answersUnknownPathsAndMethodsWithAStatus() async throws {
        try await StandInHarness.run { harness in
            #expect(try await harness.send(.get, "/api/v1/secrets").status == 404)
            #expect(try await harness.send(.get, "/api/v1/nodes/a/b/c").status == 404)
            #expect(try await harness.send(.delete, "/api/v1/nodes").status == 405)
            let bad = try await harness.send(.post, "/api/v1/nodes", body: "{not json")
            #expect(bad.status == 400)
            #expect(KubeStatus.from(bad).reason == "BadRequest")
            #expect(try await harness.send(.post, "/api/v1/nodes", body: "[]").status == 400)
            #expect(try await harness.send(.get, "/api/v1/nodes?limit=2&continue=garbage").status == 400)
        }
    }
}
