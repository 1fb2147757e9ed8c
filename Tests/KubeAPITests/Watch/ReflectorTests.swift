import Logging
import Synchronization
import Testing
import TroxileiaCore
@testable import KubeAPI

/// The reflector against a scripted API server over real HTTP (libcurl): pages, watch
/// streams split anywhere, 410 and relist, drops, bookmarks, silence.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ReflectorTests {
    private typealias Script = ReflectorScript

    private func run(_ server: ScriptedHTTPServer, until condition: @escaping @Sendable (NodeStore) -> Bool,
                     configure: (inout Reflector<NodeCodec>.Configuration) -> Void = { _ in }) async throws -> NodeStore {
        try await Script.run(server, until: condition) { configuration in
            configuration.watchList = false
            configure(&configuration)
        }
    }

    @Test func listsAllPagesThenAppliesWatchEvents() async throws {
        let server = try ScriptedHTTPServer { request in
            if request.path.contains("watch=1") {
                guard request.path.contains("resourceVersion=10") else { return .stall }
                return Script.watch([Script.event("ADDED", Script.node("c", rv: "11", port: "1_1_x3")),
                                   Script.event("MODIFIED", Script.node("a", rv: "12", port: "1_1_x9")),
                                   Script.event("DELETED", Script.node("b", rv: "13"))], end: .stall)
            }
            if request.path.contains("continue=page2") { return Script.list([Script.node("b", rv: "3")], rv: "10") }
            return Script.list([Script.node("a", rv: "1", port: "1_1_x1"), Script.node("x", rv: "2")], rv: "10", continueToken: "page2")
        }
        defer { server.stop() }
        let store = try await run(server) { $0.objects.objects.keys.sorted() == ["a", "c", "x"] }
        #expect(store.isSynced)
        #expect(store.snapshot().nodes["a"]?.labels["port"] == "1_1_x9")
        let paths = server.requests.map(\.path)
        #expect(paths.first == "/api/v1/nodes?limit=2")
        #expect(paths.contains { $0.hasPrefix("/api/v1/nodes?watch=1&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=") })
        #expect(server.requests.first?.headers["accept"] == "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")
    }

    @Test func relistsAfter410AndTheRelistRevealsADeletion() async throws {
        let lists = Atomic<Int>(0)
        let server = try ScriptedHTTPServer { request in
            if request.path.contains("watch=1") {
                if request.path.contains("resourceVersion=20") { return .stall }
                return Script.watch([#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (8)","reason":"Expired","code":410}}"#])
            }
            if lists.add(1, ordering: .relaxed).newValue == 1 {
                return Script.list([Script.node("a", rv: "1"), Script.node("gone", rv: "2")], rv: "5")
            }
            return Script.list([Script.node("a", rv: "1")], rv: "20")
        }
        defer { server.stop() }
        let store = try await run(server) { $0.objects.objects.keys.sorted() == ["a"] && $0.objects.version >= 2 }
        #expect(store.objects.objects["gone"] == nil)
        #expect(lists.load(ordering: .relaxed) == 2)
    }

    @Test func resumesFromTheLastEventOrBookmarkAfterADrop() async throws {
        let server = try ScriptedHTTPServer { request in
            guard request.path.contains("watch=1") else { return Script.list([Script.node("a", rv: "1")], rv: "30") }
            if request.path.contains("resourceVersion=30&") {
                return Script.watch([Script.event("ADDED", Script.node("b", rv: "31")),
                                   #"{"type":"BOOKMARK","object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"35"}}}"#],
                                  end: .drop)
            }
            if request.path.contains("resourceVersion=35&") {
                return Script.watch([Script.event("ADDED", Script.node("c", rv: "36"))], end: .stall)
            }
            return .response(status: 500)
        }
        defer { server.stop() }
        let store = try await run(server) { $0.objects.objects.keys.sorted() == ["a", "b", "c"] }
        #expect(store.objects.objects.count == 3)
    }

    @Test func reconnectsAfterSilence() async throws {
        let watches = Atomic<Int>(0)
        let server = try ScriptedHTTPServer { request in
            guard request.path.contains("watch=1") else { return Script.list([Script.node("a", rv: "1")], rv: "40") }
            if watches.add(1, ordering: .relaxed).newValue == 1 { return .stall }
            return Script.watch([Script.event("ADDED", Script.node("late", rv: "41"))], end: .stall)
        }
        defer { server.stop() }
        let store = try await run(server, until: { $0.objects.objects["late"] != nil }) {
            $0.inactivityLimit = .milliseconds(400)
            $0.inactivityCheckInterval = .milliseconds(50)
        }
        #expect(store.objects.objects.count == 2)
        #expect(watches.load(ordering: .relaxed) >= 2)
    }

    @Test func retriesAFailedListWithBackoff() async throws {
        let attempts = Atomic<Int>(0)
        let server = try ScriptedHTTPServer { request in
            if request.path.contains("watch=1") { return .stall }
            if attempts.add(1, ordering: .relaxed).newValue < 3 {
                return .response(status: 503, body: Array(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcd is down","reason":"ServiceUnavailable","code":503}"#.utf8))
            }
            return Script.list([Script.node("a", rv: "1")], rv: "50")
        }
        defer { server.stop() }
        let store = try await run(server) { $0.isSynced }
        #expect(attempts.load(ordering: .relaxed) == 3)
        #expect(store.objects.objects.keys.sorted() == ["a"])
    }

    /// Issue 13: the next page is fetched ahead while one is decoded; cancelling the reflector while
    /// that request hangs ends it at once (it used to wait for the list's 60 s timeout; the bound
    /// leaves a loaded machine seconds).
    @Test func cancellingWhileAPrefetchedPageHangsEndsAtOnce() async throws {
        let server = try ScriptedHTTPServer { request in
            if request.path.contains("continue=page2") { return .stall }
            return Script.list([Script.node("a", rv: "1")], rv: "10", continueToken: "page2")
        }
        defer { server.stop() }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let client = KubeClient(transport: try server.transport(), logger: logger)
        let store = NodeStore(keys: .default)
        var configuration = Reflector<NodeCodec>.Configuration()
        configuration.watchList = false
        let reflector = Reflector(name: "nodes", client: client, location: .nodes, store: store.objects, as: NodeCodec.self,
                                  configuration: configuration, logger: logger)
        let task = Task { await reflector.run() }
        #expect(await server.wait { $0.requests.contains { $0.path.contains("continue=page2") } })
        let started = ContinuousClock.now
        task.cancel()
        await task.value
        #expect(started.duration(to: .now) < .seconds(3), "cancelled while a page hangs, it does not wait for the list timeout")
        #expect(!store.isSynced)
    }
}
