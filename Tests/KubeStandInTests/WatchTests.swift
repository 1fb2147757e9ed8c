import KubeAPI
import KubeStandIn
import Testing

/// Watches: resume from a version, bookmarks, initial events, 410 after compaction, selectors.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WatchTests {
    private static let relabel = #"{"metadata":{"labels":{"port":"1_1_x3"}}}"#

    @Test func aWatchFromAVersionDeliversTheLaterChangesInOrder() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let start = harness.standIn.store.resourceVersion
            _ = try await harness.send(.patch, "/api/v1/nodes/sensor-02", body: Self.relabel)
            let lines = try await harness.watchLines("/api/v1/nodes?watch=1&resourceVersion=\(start)&timeoutSeconds=5", count: 3) {
                _ = try await harness.send(.post, "/api/v1/nodes", body: #"{"metadata":{"name":"sensor-03"}}"#)
                _ = try await harness.send(.delete, "/api/v1/nodes/worker-01")
            }
            let events = try lines.map { try WatchEvent.decode(Array($0.utf8), as: NodeCodec.self) }
            guard events.count == 3, case .modified(let modified) = events[0], case .added(let added) = events[1],
                  case .deleted(let deleted) = events[2] else {
                Issue.record("unexpected events: \(lines)")
                return
            }
            #expect(modified.key == "sensor-02")
            #expect(added.key == "sensor-03")
            #expect(deleted.key == "worker-01")
            #expect(Int(deleted.resourceVersion) == harness.standIn.store.resourceVersion, "DELETED carries the deletion's version")
            let fixture = try Fixture.text("watch/nodes-watch.json").split(separator: "\n").first.map(String.init) ?? ""
            #expect(try JSONParser.parse(Array(lines[0].utf8)).keys == (try JSONParser.parse(Array(fixture.utf8))).keys)
        }
    }

    @Test func sendsNearEmptyBookmarksWhenAllowed() async throws {
        try await StandInHarness.run(configuring: { $0.bookmarkInterval = .milliseconds(100) }) { harness in
            try harness.seedFixtureNodes()
            let version = harness.standIn.store.resourceVersion
            let lines = try await harness.watchLines("/api/v1/nodes?watch=1&resourceVersion=\(version)&allowWatchBookmarks=true", count: 2)
            #expect(lines.count == 2)
            let fixture = try Fixture.text("watch/nodes-watch.json").split(separator: "\n").last.map(String.init) ?? ""
            let expected = fixture.replacingOccurrences(of: #""resourceVersion":"358""#, with: #""resourceVersion":"\#(version)""#)
            #expect(lines[0] == expected, "the bookmark skeleton equals the capture's")
            #expect(try WatchEvent.decode(Array(lines[0].utf8), as: NodeCodec.self) == .bookmark(resourceVersion: "\(version)", initialEventsEnd: false))
        }
    }

    @Test func sendInitialEventsEndsTheBurstWithAnAnnotatedBookmark() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let lines = try await harness.watchLines(
                "/api/v1/nodes?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5",
                count: 4)
            let events = try lines.map { try WatchEvent.decode(Array($0.utf8), as: NodeCodec.self) }
            #expect(events.count == 4)
            #expect(events.prefix(3).allSatisfy { if case .added = $0 { true } else { false } })
            #expect(events.last == .bookmark(resourceVersion: "\(harness.standIn.store.resourceVersion)", initialEventsEnd: true))
        }
    }

    @Test func compactionMakesAResumingWatchGetA410ErrorEvent() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            _ = try await harness.send(.patch, "/api/v1/nodes/sensor-01", body: Self.relabel)
            _ = try await harness.send(.post, "/standin/compact")
            let lines = try await harness.watchLines("/api/v1/nodes?watch=1&resourceVersion=2", count: 5)
            guard lines.count == 1, case .error(let status) = try WatchEvent.decode(Array(lines[0].utf8), as: NodeCodec.self) else {
                Issue.record("expected one ERROR event: \(lines)")
                return
            }
            #expect(status.code == 410)
            #expect(status.reason == "Expired")
        }
    }

    @Test func aSelectorWatchSeesALabelChangeAsAddedAndDeleted() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let version = harness.standIn.store.resourceVersion
            let lines = try await harness.watchLines("/api/v1/nodes?watch=1&resourceVersion=\(version)&labelSelector=sensor%3Dtrue&timeoutSeconds=10",
                                                     count: 2) {
                _ = try await harness.send(.patch, "/api/v1/nodes/worker-01", body: #"{"metadata":{"labels":{"sensor":"true"}}}"#)
                _ = try await harness.send(.patch, "/api/v1/nodes/sensor-01", body: #"{"metadata":{"labels":{"sensor":null}}}"#)
            }
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix(#"{"type":"ADDED","object":{"kind":"Node","apiVersion":"v1","metadata":{"name":"worker-01""#) == true)
            #expect(lines.last?.hasPrefix(#"{"type":"DELETED","object":{"kind":"Node","apiVersion":"v1","metadata":{"name":"sensor-01""#) == true)
        }
    }

    @Test func metadataOnlyWatchStreamsPartialObjectMetadata() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let version = harness.standIn.store.resourceVersion
            let lines = try await harness.watchLines("/api/v1/nodes?watch=1&resourceVersion=\(version)&timeoutSeconds=10",
                                                     count: 1, accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1") {
                _ = try await harness.send(.patch, "/api/v1/nodes/sensor-02", body: Self.relabel)
            }
            let event = try JSONParser.parse(Array(try #require(lines.first).utf8))
            #expect(event["object"]?.keys == ["kind", "apiVersion", "metadata"])
            #expect(event["object"]?["kind"] == .string("PartialObjectMetadata"))
        }
    }

    @Test func droppingWatchesEndsTheStreamsAndTimeoutSecondsIsHonoured() async throws {
        try await StandInHarness.run { harness in
            let clock = ContinuousClock()
            let started = clock.now
            let timedOut = try await harness.watchLines("/api/v1/nodes?watch=1&timeoutSeconds=1", count: 1)
            #expect(timedOut.isEmpty)
            #expect(clock.now - started < .seconds(5))
            let store = harness.standIn.store
            let dropped = try await harness.watchLines("/api/v1/nodes?watch=1&timeoutSeconds=30", count: 1) {
                store.dropWatches()
            }
            #expect(dropped.isEmpty)
            #expect(store.openWatchCount == 0)
        }
    }
}
