import KubeAPI
import KubeStandIn
import Testing

/// Writes: PUT/PATCH conflicts, leases, events with kube-apiserver's validation.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WriteTests {
    @Test func putWithAStaleVersionConflictsAndWithTheCurrentOneSucceeds() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let current = try await harness.send(.get, "/api/v1/nodes/sensor-01").json()
            var changed = current
            changed.setMetadata("labels", .object([("sensor", .string("false"))]))
            let body = String(decoding: changed.bytes, as: UTF8.self)
            let first = try await harness.send(.put, "/api/v1/nodes/sensor-01", body: body)
            #expect(first.status == 200)
            let second = try await harness.send(.put, "/api/v1/nodes/sensor-01", body: body)
            #expect(second.status == 409)
            #expect(KubeStatus.from(second).isConflict)
            let stored = try await harness.send(.get, "/api/v1/nodes/sensor-01").json()
            #expect(stored["metadata"]?["uid"] == current["metadata"]?["uid"])
            #expect(stored["metadata"]?["labels"] == .object([("sensor", .string("false"))]))
        }
    }

    @Test func mergePatchOnStatusKeepsALabelChangeAndAStaleVersionConflicts() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let patched = try await harness.send(.patch, "/api/v1/nodes/sensor-01/status",
                                                 body: #"{"metadata":{"labels":{"port":"1_1_x4"}}}"#)
            #expect(patched.status == 200)
            #expect(try patched.json()["metadata"]?["labels"]?["port"] == .string("1_1_x4"))
            #expect(try patched.json()["status"]?["conditions"] != nil, "the rest of the object is kept")
            let stale = try await harness.send(.patch, "/api/v1/nodes/sensor-01",
                                               body: #"{"metadata":{"resourceVersion":"1","labels":{"port":null}}}"#)
            #expect(stale.status == 409)
            let wrongType = try await harness.send(.patch, "/api/v1/nodes/sensor-01", body: "{}", contentType: "application/json-patch+json")
            #expect(wrongType.status == 415)
            #expect(try await harness.send(.patch, "/api/v1/nodes/nobody", body: "{}").status == 404)
        }
    }

    @Test func leaseCreateGetRenewConflictTakeover() async throws {
        try await StandInHarness.run { harness in
            let path = "/apis/coordination.k8s.io/v1/namespaces/troxileia/leases"
            let body = try Fixture.text("lease/02-create.request-body.json")
            let created = try await harness.send(.post, path, body: body)
            #expect(created.status == 201)
            let fixture = try Fixture.json("lease/02-create.json")
            let lease = try created.json()
            #expect(lease.keys == fixture.keys)
            #expect(lease["metadata"]?["namespace"] == .string("troxileia"))
            #expect(lease["spec"] == fixture["spec"])
            let again = try await harness.send(.post, path, body: body)
            #expect(KubeStatus.from(again).isAlreadyExists)
            #expect(try again.json().keys == (try Fixture.json("lease/07-create-already-exists.json")).keys)
            var renewed = lease
            renewed["spec"]?["renewTime"] = .string("2026-11-23T10:58:28.181020Z")
            let renew = try await harness.send(.put, "\(path)/troxileia-leader", body: String(decoding: renewed.bytes, as: UTF8.self))
            #expect(renew.status == 200)
            let stale = try await harness.send(.put, "\(path)/troxileia-leader", body: String(decoding: renewed.bytes, as: UTF8.self))
            #expect(stale.status == 409)
            #expect(stale.text.contains(#"leases.coordination.k8s.io \"troxileia-leader\""#))
            #expect(try stale.json()["details"]?.keys == ["name", "group", "kind"])
        }
    }

    @Test func eventsAreCreatedInDefaultForANodeAndPatchedWithASeries() async throws {
        try await StandInHarness.run { harness in
            let created = try await harness.send(.post, "/apis/events.k8s.io/v1/namespaces/default/events",
                                                 body: try Fixture.text("events/01-eventsv1-create.request-body.json"))
            #expect(created.status == 201)
            let fixture = try Fixture.json("events/01-eventsv1-create.json")
            let event = try created.json()
            #expect(Set(event.keys) == Set(fixture.keys))
            #expect(event["deprecatedSource"] == .object([]))
            let name = event.metadataString("name") ?? ""
            let patched = try await harness.send(.patch, "/apis/events.k8s.io/v1/namespaces/default/events/\(name)",
                                                 body: try Fixture.text("events/06-eventsv1-series-patch.request-body.json"))
            #expect(patched.status == 200)
            #expect(try patched.json()["series"] == (try Fixture.json("events/06-eventsv1-series-patch.json"))["series"])
            let list = try await harness.send(.get, "/apis/events.k8s.io/v1/namespaces/default/events")
            #expect(try list.json()["kind"] == .string("EventList"))
        }
    }

    @Test(arguments: [
        ("troxileia", "events/03-eventsv1-create-wrong-namespace"),
        ("default", "events/04-eventsv1-create-eventtime-seconds"),
    ])
    func eventValidationFailuresEqualTheCaptures(namespace: String, capture: String) async throws {
        try await StandInHarness.run { harness in
            let response = try await harness.send(.post, "/apis/events.k8s.io/v1/namespaces/\(namespace)/events",
                                                  body: try Fixture.text("\(capture).request-body.json"))
            let expected = try Fixture.text("\(capture).json").trimmingCharacters(in: .newlines)
            #expect(response.text == expected)
            #expect(response.status == (try Fixture.json("\(capture).json"))["code"].flatMap { if case .number(let text) = $0 { Int(text) } else { nil } })
        }
    }
}
