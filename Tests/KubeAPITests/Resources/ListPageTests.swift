import Testing
import TroxileiaCore
@testable import KubeAPI

@Suite struct ListPageTests {
    @Test func decodesAFullNodeListAndItsVersion() throws {
        let page = try ListPage.decode(try KubeFixtures.bytes("list/nodes-list.json"), as: NodeCodec.self)
        #expect(page.resourceVersion == "349" && page.continueToken == nil)
        #expect(page.items.map(\.key) == ["sensor-01", "sensor-02", "worker-01"])
        #expect(page.items[0].value.labels["port"] == "1_1_x1")
    }

    @Test func followsPagination() throws {
        let first = try ListPage.decode(try KubeFixtures.bytes("list/nodes-list-limit2-page1.json"), as: NodeCodec.self)
        #expect(first.items.count == 2)
        #expect(first.continueToken?.hasPrefix("eyJ2Ijoi") == true)
        let last = try ListPage.decode(try KubeFixtures.bytes("list/nodes-list-limit2-page2.json"), as: NodeCodec.self)
        #expect(last.items.count == 1 && last.continueToken == nil && last.resourceVersion == "349")
    }

    @Test func decodesTheMetadataOnlyList() throws {
        let page = try ListPage.decode(try KubeFixtures.bytes("metadata/nodes-list-metadata.json"), as: NodeCodec.self)
        #expect(page.items.count == 2 && page.continueToken != nil)
    }

    @Test func decodesSelectedPodsWithReadiness() throws {
        let page = try ListPage.decode(try KubeFixtures.bytes("pods/pods-list-selector.json"), as: PodCodec.self)
        #expect(page.items.count == 3)
        #expect(page.items.allSatisfy { $0.value.namespace == "sensors" && $0.value.nodeName != nil })
        #expect(Set(page.items.map(\.key)).count == 3, "keyed by UID")
        let ready = try ObjectReaderTests.pod("pods/pod-ready-true.json")
        #expect(ready.ready == .ready && ready.readySince != nil && ready.createdAt != nil)
        let notReady = try ObjectReaderTests.pod("pods/pod-ready-false.json")
        #expect(notReady.ready == .notReady)
        #expect(notReady.readySince == KubeTime("2026-11-23T10:56:59Z"))
    }

    @Test(arguments: ["", "[]", "{", #"{"items":[{"metadata":{"labels":{"a":1}}}]}"#])
    func refusesMalformedLists(body: String) {
        #expect(throws: KubeAPIError.self) { _ = try ListPage.decode(Array(body.utf8), as: NodeCodec.self) }
    }
}

@Suite struct ObjectReaderTests {
    static func pod(_ fixture: String) throws -> PodRecord {
        let outcome = try JSONSkimmer.skim(try KubeFixtures.bytes(fixture)) { skimmer throws(JSONSkimError) in
            try ObjectReader.read(&skimmer, as: PodCodec.self)
        }
        guard case .object(let object) = outcome else { throw KubeAPIError.decoding(what: fixture, reason: "not a pod") }
        return object.value
    }

    /// Real Status bodies become typed errors.
    @Test(arguments: [
        ("errors/404-node-not-found.json", 404, "NotFound"), ("errors/409-conflict-stale-put.json", 409, "Conflict"),
        ("errors/409-already-exists.json", 409, "AlreadyExists"), ("errors/422-invalid-label.json", 422, "Invalid"),
        ("errors/403-forbidden-list-nodes.json", 403, "Forbidden"), ("errors/401-unauthorized-bad-token.json", 401, "Unauthorized"),
        ("gone/list-exact-rv-compacted.json", 410, "Expired"), ("lease/05-stale-put-conflict.json", 409, "Conflict"),
    ])
    func readsStatusBodies(fixture: String, code: Int, reason: String) throws {
        let status = KubeStatus.from(KubeResponse(status: code, body: try KubeFixtures.bytes(fixture)))
        #expect(status.code == code && status.reason == reason && !status.message.isEmpty)
        #expect(status.isConflict == (reason == "Conflict"))
        #expect(status.isAlreadyExists == (reason == "AlreadyExists"))
        #expect(status.isGone == (code == 410))
    }

    @Test func keepsRetryAfterAndCopesWithNonStatusBodies() {
        let throttled = KubeStatus.from(KubeResponse(status: 429, headers: ["retry-after": "3"], body: Array("slow down".utf8)))
        #expect(throttled.code == 429 && throttled.retryAfter == .seconds(3) && throttled.message == "slow down")
        #expect(KubeStatus.from(KubeResponse(status: 502)).message == "no body")
    }
}
