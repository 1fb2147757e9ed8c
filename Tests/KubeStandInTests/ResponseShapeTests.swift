import KubeAPI
import KubeStandIn
import Testing

/// The stand-in's answers against the real kube-apiserver captures in Fixtures/.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ResponseShapeTests {
    @Test func nodeListHasTheFixturesTopLevelItemAndMetadataKeys() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let fixture = try Fixture.json("list/nodes-list.json")
            let list = try await harness.send(.get, "/api/v1/nodes").json()
            #expect(list.keys == fixture.keys)
            #expect(list["metadata"]?.keys == fixture["metadata"]?.keys)
            #expect(list["kind"] == .string("NodeList"))
            guard case .array(let items)? = list["items"], case .array(let expected)? = fixture["items"] else {
                Issue.record("no items")
                return
            }
            #expect(items.count == 3)
            #expect(items.map(\.keys) == expected.map(\.keys), "list items carry no kind/apiVersion")
            #expect(items.map { $0["metadata"]?.keys } == expected.map { $0["metadata"]?.keys })
            #expect(items.map { $0["status"] } == expected.map { $0["status"] }, "full objects are kept")
        }
    }

    @Test func metadataOnlyListHasTheFixturesShape() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let fixture = try Fixture.json("metadata/nodes-list-metadata.json")
            let list = try await harness.send(.get, "/api/v1/nodes?limit=2",
                                              accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1").json()
            #expect(list.keys == fixture.keys)
            #expect(list["metadata"]?.keys == fixture["metadata"]?.keys)
            guard case .array(let items)? = list["items"], case .array(let expected)? = fixture["items"] else {
                Issue.record("no items")
                return
            }
            #expect(items.first?.keys == expected.first?.keys)
            #expect(items.first?["kind"] == .string("PartialObjectMetadata"))
            #expect(items.first?["apiVersion"] == .string("meta.k8s.io/v1"))
        }
    }

    /// Same request as the capture, same names: the bodies are byte-identical.
    @Test(arguments: [
        ("GET", "/api/v1/nodes/sensor-99", nil as String?, "errors/404-node-not-found.json", 404),
        ("POST", "/api/v1/nodes", #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"sensor-01"}}"#, "errors/409-already-exists.json", 409),
        ("PUT", "/api/v1/nodes/sensor-01", #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"sensor-01","resourceVersion":"347"}}"#,
         "errors/409-conflict-stale-put.json", 409),
        ("GET", "/apis/coordination.k8s.io/v1/namespaces/troxileia/leases/troxileia-leader", nil, "lease/01-get-missing.json", 404),
        ("GET", "/api/v1/nodes?resourceVersion=1&resourceVersionMatch=Exact", nil, "gone/list-exact-rv-compacted.json", 410),
    ])
    func statusBodiesEqualTheCaptures(method: String, path: String, body: String?, fixture: String, code: Int) async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            harness.standIn.store.compact()
            let response = try await harness.send(KubeRequest.Method(rawValue: method) ?? .get, path, body: body)
            #expect(response.status == code)
            #expect(response.text == (try Fixture.text(fixture)).trimmingCharacters(in: .newlines))
            #expect(KubeStatus.from(response).code == code)
        }
    }

    @Test func aWatchFromACompactedVersionGetsOneErrorEventInsideA200Stream() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            harness.standIn.store.compact()
            let lines = try await harness.watchLines("/api/v1/nodes?watch=1&resourceVersion=1&allowWatchBookmarks=true", count: 10)
            #expect(lines.count == 1, "the stream ends right after the ERROR event")
            let event = try JSONParser.parse(Array(lines[0].utf8))
            let fixture = try Fixture.json("gone/watch-rv-older-than-watch-cache.json")
            #expect(event.keys == fixture.keys)
            #expect(event["object"]?.keys == fixture["object"]?.keys)
            #expect(event["object"]?["reason"] == .string("Expired"))
            #expect(event["object"]?["code"] == .int(410))
            #expect(lines[0].hasPrefix(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 ("#))
            guard case .error(let status) = try WatchEvent.decode(Array(lines[0].utf8), as: NodeCodec.self) else {
                Issue.record("not an ERROR event")
                return
            }
            #expect(status.isGone)
        }
    }

    @Test func anExpiredContinueTokenGets410WithAFreshToken() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let first = try await harness.send(.get, "/api/v1/nodes?limit=2").json()
            let token = first["metadata"]?["continue"]?.stringValue ?? ""
            harness.standIn.store.compact()
            _ = try harness.standIn.add(.nodes, Array(#"{"metadata":{"name":"late"}}"#.utf8))
            harness.standIn.store.compact()
            let response = try await harness.send(.get, "/api/v1/nodes?limit=2&continue=\(token)")
            #expect(response.status == 410)
            let fixture = try Fixture.json("gone/list-continue-token-expired.json")
            let body = try response.json()
            #expect(body.keys == fixture.keys)
            #expect(body["metadata"]?.keys == ["continue"])
            #expect(body["message"] == fixture["message"])
        }
    }
}
