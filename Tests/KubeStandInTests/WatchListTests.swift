import KubeAPI
import KubeStandIn
import Logging
import Testing
import TroxileiaCore

/// Watch-lists as kube-apiserver v1.36 serves them (watch/nodes-watch-initial-events.*), its 422s
/// for option combinations it refuses, the scenario switch that plays older servers, and the
/// production reflector syncing from each.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WatchListTests {
    private static let watchList = "/api/v1/nodes?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5"

    @Test func streamsTheStateInKeyOrderThenTheCapturedEndBookmark() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let lines = try await harness.watchLines(Self.watchList, count: 4)
            let capture = try Fixture.text("watch/nodes-watch-initial-events.json").split(separator: "\n").map(String.init)
            let version = harness.standIn.store.resourceVersion
            #expect(lines.count == 4)
            #expect(lines.last == capture.last?.replacingOccurrences(of: #""resourceVersion":"364""#, with: #""resourceVersion":"\#(version)""#),
                    "the end bookmark is the capture's skeleton at the current version")
            let names = try lines.dropLast().map { try JSONParser.parse(Array($0.utf8))["object"]?["metadata"]?["name"]?.stringValue }
            #expect(names == ["sensor-01", "sensor-02", "worker-01"], "key order, as the capture (not resourceVersion order)")
            let added = try JSONParser.parse(Array(lines[0].utf8))
            let captured = try JSONParser.parse(Array(capture[0].utf8))
            #expect(added.keys == captured.keys)
            #expect(added["object"]?.keys == captured["object"]?.keys)
        }
    }

    @Test func liveEventsFollowTheEndBookmarkOnTheSameStream() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let lines = try await harness.watchLines(Self.watchList, count: 5) {
                _ = try await harness.send(.delete, "/api/v1/nodes/worker-01")
            }
            #expect(lines.count == 5)
            #expect(lines.last?.hasPrefix(#"{"type":"DELETED","object":{"kind":"Node","apiVersion":"v1","metadata":{"name":"worker-01""#) == true)
        }
    }

    @Test func sendInitialEventsFalseStartsAtTheCurrentVersionWithoutInitialEvents() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let lines = try await harness.watchLines(
                "/api/v1/nodes?watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=5", count: 1) {
                _ = try await harness.send(.delete, "/api/v1/nodes/worker-01")
            }
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix(#"{"type":"DELETED""#) == true)
        }
    }

    /// The messages are apimachinery's `ValidateListOptions` as the list handler wraps them
    /// (`NewInvalid(meta.k8s.io ListOptions, "", errs)`).
    @Test(arguments: [
        ("/api/v1/nodes?watch=1&sendInitialEvents=true",
         #"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"#,
         ["resourceVersionMatch"]),
        ("/api/v1/nodes?sendInitialEvents=true",
         #"ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"#,
         ["sendInitialEvents"]),
        ("/api/v1/nodes?watch=1&resourceVersionMatch=Exact",
         #"ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]"#,
         ["resourceVersionMatch", "resourceVersionMatch"]),
        ("/api/v1/nodes?resourceVersionMatch=NotOlderThan",
         #"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"#,
         ["resourceVersionMatch"]),
    ])
    func refusesOptionCombinationsAsKubeAPIServer(path: String, message: String, fields: [String]) async throws {
        try await StandInHarness.run { harness in
            let response = try await harness.send(.get, path)
            #expect(response.status == 422)
            let status = try response.json()
            #expect(status.keys == ["kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"])
            #expect(status["message"]?.stringValue == message)
            #expect(status["reason"]?.stringValue == "Invalid")
            #expect(status["details"]?.keys == ["group", "kind", "causes"])
            #expect(status["details"]?["kind"]?.stringValue == "ListOptions")
            let causes: [JSONValue] = if case .array(let items)? = status["details"]?["causes"] { items } else { [] }
            #expect(causes.compactMap { $0["field"]?.stringValue } == fields)
            #expect(message.contains(causes.first?["message"]?.stringValue ?? "?"))
        }
    }

    @Test func theForbiddenScenarioRefusesAsWithTheFeatureGateOff() async throws {
        try await StandInHarness.run { harness in
            _ = try await harness.send(.post, "/standin/watch-list?mode=forbidden")
            let response = try await harness.send(.get, Self.watchList)
            #expect(response.status == 422)
            #expect(try response.json()["message"]?.stringValue
                == #"ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"#)
            #expect(try await harness.send(.post, "/standin/watch-list?mode=sometimes").status == 400)
        }
    }

    @Test func theIgnoredScenarioSendsTheLegacyInitialStateWithoutTheEndBookmark() async throws {
        try await StandInHarness.run(configuring: { $0.bookmarkInterval = .milliseconds(100) }) { harness in
            try harness.seedFixtureNodes()
            harness.standIn.scenario.setWatchList(.ignored)
            let lines = try await harness.watchLines(Self.watchList, count: 4)
            let events = try lines.map { try WatchEvent.decode(Array($0.utf8), as: NodeCodec.self) }
            #expect(events.count == 4)
            #expect(events.last == .bookmark(resourceVersion: "\(harness.standIn.store.resourceVersion)", initialEventsEnd: false))
        }
    }

    // MARK: The reflector against the stand-in

    private func sync(_ harness: StandInHarness, _ support: Scenario.WatchListSupport) async throws -> KubeAPI.ObjectStore<NodeRecord> {
        harness.standIn.scenario.setWatchList(support)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let client = KubeClient(transport: harness.client, logger: logger)
        let store = KubeAPI.ObjectStore<NodeRecord>()
        var configuration = Reflector<NodeCodec>.Configuration()
        configuration.initialEventsSilenceLimit = .milliseconds(500)
        configuration.inactivityCheckInterval = .milliseconds(50)
        let reflector = Reflector(name: "nodes", client: client, location: .nodes, store: store, as: NodeCodec.self,
                                  configuration: configuration, logger: logger)
        let task = Task { await reflector.run() }
        defer { task.cancel() }
        let deadline = ContinuousClock.now + .seconds(10)
        while !store.isSynced && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        _ = try await harness.send(.delete, "/api/v1/nodes/worker-01")
        while store.objects["worker-01"] != nil && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return store
    }

    @Test(arguments: [Scenario.WatchListSupport.served, .forbidden, .ignored])
    func theReflectorSyncsAndFollowsWhateverTheServerDoes(support: Scenario.WatchListSupport) async throws {
        try await StandInHarness.run(configuring: { $0.bookmarkInterval = .seconds(30) }) { harness in
            try harness.seedFixtureNodes()
            let store = try await sync(harness, support)
            #expect(store.isSynced)
            #expect(store.objects.keys.sorted() == ["sensor-01", "sensor-02"])
        }
    }
}
