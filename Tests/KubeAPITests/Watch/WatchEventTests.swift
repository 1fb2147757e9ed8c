import Testing
import TroxileiaCore
@testable import KubeAPI

@Suite struct WatchEventTests {
    private func events(_ fixture: String) throws -> [WatchEvent<NodeRecord>] {
        try KubeFixtures.bytes(fixture).split(separator: UInt8(ascii: "\n")).map { try WatchEvent.decode(Array($0), as: NodeCodec.self) }
    }

    @Test func decodesAddedModifiedDeletedAndBookmark() throws {
        let decoded = try events("watch/nodes-watch.json")
        guard decoded.count == 4, case .added(let added) = decoded[0], case .modified(let modified) = decoded[1],
              case .deleted(let deleted) = decoded[2], case .bookmark(let version, let end) = decoded[3] else {
            Issue.record("unexpected events: \(decoded)")
            return
        }
        #expect(added.key == "sensor-03" && added.resourceVersion == "355")
        #expect(modified.value.labels["port"] == "1_1_x3" && modified.resourceVersion == "356")
        #expect(deleted.key == "worker-01" && deleted.resourceVersion == "358")
        #expect(version == "358" && !end)
        #expect(decoded.map(\.resourceVersion) == ["355", "356", "358", "358"])
    }

    @Test func recognisesTheInitialEventsEndBookmark() throws {
        let decoded = try events("watch/nodes-watch-initial-events.json")
        #expect(decoded.filter { if case .added = $0 { true } else { false } }.count == 3)
        #expect(decoded.last == .bookmark(resourceVersion: "364", initialEventsEnd: true))
    }

    @Test func decodesMetadataOnlyEvents() throws {
        let decoded = try events("metadata/nodes-watch-metadata.ndjson")
        #expect(decoded.contains { if case .deleted(let object) = $0 { object.key == "meta-w1" } else { false } })
    }

    @Test func decodesThe410ThatArrivesInsideA200Stream() throws {
        let decoded = try events("gone/watch-rv-older-than-watch-cache.json")
        #expect(decoded == [.error(KubeStatus(code: 410, reason: "Expired", message: "too old resource version: 10 (284)"))])
    }

    @Test func readsPodsThroughTheirCodec() throws {
        let line = #"{"object":{"kind":"Pod","metadata":{"name":"p","namespace":"s","uid":"u1","resourceVersion":"9","creationTimestamp":"2026-11-23T10:00:00Z"},"spec":{"nodeName":"n1"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"False","lastTransitionTime":"2026-11-23T10:05:00Z"}]}},"type":"MODIFIED"}"#
        guard case .modified(let pod) = try WatchEvent.decode(Array(line.utf8), as: PodCodec.self) else {
            Issue.record("not modified")
            return
        }
        #expect(pod.key == "u1")
        #expect(pod.value.nodeName == "n1" && pod.value.phase == "Running" && pod.value.ready == .notReady)
        #expect(pod.value.readySince == KubeTime("2026-11-23T10:05:00Z"))
    }

    @Test(arguments: ["", "{}", #"{"type":"ADDED"}"#, #"{"type":"WHAT","object":{}}"#, #"{"type":"ADDED","object":{"#,
                      #"{"type":"ERROR","object":{"kind":"Node","metadata":{"name":"x"}}}"#])
    func refusesMalformedEvents(line: String) {
        #expect(throws: KubeAPIError.self) { _ = try WatchEvent.decode(Array(line.utf8), as: NodeCodec.self) }
    }
}
