import Logging
import Synchronization
import Testing
import TroxileiaCore
@testable import KubeAPI

/// The reflector's watch-list sync against a scripted API server over real HTTP (libcurl): the
/// captured v1.36 stream, the store replaced at the end bookmark, resync after 410, and the
/// fallbacks to paginated lists for servers that refuse or ignore `sendInitialEvents`.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ReflectorWatchListTests {
    private typealias Script = ReflectorScript
    private typealias Events = ReflectorScript.Events

    private static func end(_ rv: String) -> String {
        #"{"type":"BOOKMARK","object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"\#(rv)","annotations":{"k8s.io/initial-events-end":"true"}}}}"#
    }

    private static let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (8)","reason":"Expired","code":410}}"#

    private static func stream(_ lines: [String], end: ScriptedHTTPServer.End = .stall) -> ScriptedHTTPServer.Reply {
        Script.watch(lines, end: end)
    }

    /// A server whose first watch-list gets `first` and every later one `then`; anything else stalls.
    private static func watchListServer(first: ScriptedHTTPServer.Reply, then: ScriptedHTTPServer.Reply) throws -> ScriptedHTTPServer {
        let served = Atomic<Int>(0)
        return try ScriptedHTTPServer { request in
            guard isWatchList(request) else { return .stall }
            return served.add(1, ordering: .relaxed).newValue == 1 ? first : then
        }
    }

    private static func isWatchList(_ request: ScriptedHTTPServer.Request) -> Bool { request.path.contains("sendInitialEvents=true") }
    private static func isList(_ request: ScriptedHTTPServer.Request) -> Bool { !request.path.contains("watch=1") }

    private func run(_ server: ScriptedHTTPServer, until condition: @escaping @Sendable (NodeStore) -> Bool,
                     events: Events = Events(),
                     configure: (inout Reflector<NodeCodec>.Configuration) -> Void = { _ in }) async throws -> NodeStore {
        try await Script.run(server, until: condition, events: events, configure: configure)
    }

    /// The body of watch/nodes-watch-initial-events.raw cut into its captured chunks (2048, 2048,
    /// 823 bytes: events split mid-object), as kube-apiserver v1.36 sent them.
    private static func capturedChunks() throws -> [ScriptedHTTPServer.Piece] {
        var raw = try KubeFixtures.bytes("watch/nodes-watch-initial-events.raw")[...]
        var pieces: [ScriptedHTTPServer.Piece] = []
        while let lineEnd = raw.firstIndex(of: UInt8(ascii: "\r")) {
            let size = try #require(Int(String(decoding: raw[raw.startIndex..<lineEnd], as: UTF8.self), radix: 16))
            let start = lineEnd + 2
            if size == 0 { break }
            pieces.append(.init(bytes: Array(raw[start..<start + size]), delay: .milliseconds(1)))
            raw = raw[(start + size + 2)...]
        }
        return pieces
    }

    @Test func syncsFromTheCapturedV136StreamWithOneRequest() async throws {
        let pieces = try Self.capturedChunks()
        #expect(pieces.map(\.bytes.count) == [2048, 2048, 823])
        let server = try ScriptedHTTPServer { request in
            guard Self.isWatchList(request) else { return .stall }
            return .chunked(status: 200, headers: ["Content-Type": "application/json"], pieces: pieces, end: .stall)
        }
        defer { server.stop() }
        let events = Events()
        let store = try await run(server, until: { $0.isSynced }, events: events)
        #expect(store.objects.objects.keys.sorted() == ["sensor-01", "sensor-02", "sensor-03"])
        #expect(store.snapshot().nodes["sensor-02"]?.labels["port"] == "1_1_x3")
        let paths = server.requests.map(\.path)
        #expect(paths.count == 1)
        #expect(paths.first?.hasPrefix("/api/v1/nodes?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=") == true)
        #expect(paths.first?.contains("resourceVersion=") == false, "no resourceVersion: a consistent read, as client-go asks")
        #expect(server.requests.first?.headers["accept"] == "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")
        #expect(events.seen.withLock { $0 } == [.streamed(items: 3)])
    }

    @Test func appliesLaterEventsOnTheSameStreamAndResumesFromTheLastOne() async throws {
        let server = try ScriptedHTTPServer { request in
            if Self.isWatchList(request) {
                return Self.stream([Script.event("ADDED", Script.node("a", rv: "3", port: "1_1_x1")), Script.event("ADDED", Script.node("b", rv: "2")),
                                    Self.end("20"), Script.event("MODIFIED", Script.node("a", rv: "21", port: "1_1_x9"))], end: .complete)
            }
            if request.path.contains("resourceVersion=21&") {
                return Self.stream([Script.event("ADDED", Script.node("c", rv: "22"))])
            }
            return .response(status: 500)
        }
        defer { server.stop() }
        let store = try await run(server) { $0.objects.objects.keys.sorted() == ["a", "b", "c"] }
        #expect(store.snapshot().nodes["a"]?.labels["port"] == "1_1_x9")
        #expect(server.requests.filter(Self.isList).isEmpty)
    }

    /// A 410 after the sync: a fresh watch-list replaces the store in one change, deleting what
    /// vanished during the gap and never showing a half-received state.
    @Test func resyncsAfter410ReplacingTheStoreAtOnce() async throws {
        let server = try Self.watchListServer(
            first: Self.stream([Script.event("ADDED", Script.node("a", rv: "1")), Script.event("ADDED", Script.node("gone", rv: "2")),
                                Self.end("5"), Self.gone], end: .complete),
            then: Self.stream([Script.event("ADDED", Script.node("a", rv: "9", port: "1_1_x2")), Script.event("ADDED", Script.node("new", rv: "8")),
                               Self.end("20")]))
        defer { server.stop() }
        let store = try await run(server) { $0.objects.objects.keys.sorted() == ["a", "new"] }
        #expect(store.objects.objects["gone"] == nil)
        #expect(store.snapshot().nodes["a"]?.labels["port"] == "1_1_x2")
        #expect(store.objects.version == 2, "one change for the sync, one for the resync")
        #expect(server.requests.filter(Self.isWatchList).count == 2)
        #expect(server.requests.filter(Self.isList).isEmpty)
    }

    @Test func a410DuringTheInitialEventsIsRetriedAsAWatchList() async throws {
        let server = try Self.watchListServer(
            first: Self.stream([Script.event("ADDED", Script.node("early", rv: "1")), Self.gone], end: .complete),
            then: Self.stream([Script.event("ADDED", Script.node("a", rv: "1")), Self.end("7")]))
        defer { server.stop() }
        let store = try await run(server) { $0.isSynced }
        #expect(store.objects.objects.keys.sorted() == ["a"], "the interrupted burst was never applied")
        #expect(server.requests.filter(Self.isWatchList).count == 2)
        #expect(server.requests.filter(Self.isList).isEmpty)
    }

    /// kube-apiserver's answer with the WatchList feature gate off: 422 on ListOptions. The
    /// reflector lists instead, and keeps listing on later resyncs.
    @Test func fallsBackToListsForGoodWhenTheServerRefuses() async throws {
        let lists = Atomic<Int>(0)
        let refusal = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"ListOptions","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled","field":"sendInitialEvents"}]},"code":422}"#
        let server = try ScriptedHTTPServer { request in
            if Self.isWatchList(request) { return .response(status: 422, body: Array(refusal.utf8)) }
            if request.path.contains("watch=1") {
                return request.path.contains("resourceVersion=10&") ? Self.stream([Self.gone], end: .complete) : .stall
            }
            return lists.add(1, ordering: .relaxed).newValue == 1
                ? Script.list([Script.node("a", rv: "1"), Script.node("b", rv: "2")], rv: "10")
                : Script.list([Script.node("a", rv: "1")], rv: "30")
        }
        defer { server.stop() }
        let events = Events()
        let store = try await run(server, until: { $0.objects.objects.keys.sorted() == ["a"] }, events: events)
        #expect(server.requests.filter(Self.isWatchList).count == 1)
        #expect(lists.load(ordering: .relaxed) == 2)
        #expect(store.isSynced)
        #expect(events.seen.withLock { $0 }.contains {
            if case .watchListUnsupported(let reason) = $0 { reason.contains("422") } else { false }
        })
    }

    /// Servers that ignore `sendInitialEvents` show it in their stream: an event a watch-list never
    /// sends before its end bookmark, the stream ending without it, silence, or no end at all.
    /// Each case must be told by its own sign (the reason reported), not by the silence that follows
    /// every stalled stream.
    @Test(arguments: [
        ("a MODIFIED event before the end bookmark", [Script.event("ADDED", Script.node("a", rv: "1")), Script.event("MODIFIED", Script.node("a", rv: "2"))], ScriptedHTTPServer.End.stall,
         "MODIFIED before the initial-events-end bookmark"),
        ("a plain bookmark before the end bookmark", [Script.event("ADDED", Script.node("a", rv: "1")), #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#], .stall,
         "BOOKMARK before the initial-events-end bookmark"),
        ("the stream ending before the end bookmark", [Script.event("ADDED", Script.node("a", rv: "1"))], .complete,
         "the stream ended before the initial-events-end bookmark"),
        ("silence where the end bookmark should be", [Script.event("ADDED", Script.node("a", rv: "1"))], .stall,
         "no initial-events-end bookmark after"),
        ("more initial events than the limit", [Script.event("ADDED", Script.node("a", rv: "1")), Script.event("ADDED", Script.node("b", rv: "2")), Script.event("ADDED", Script.node("c", rv: "3"))], .stall,
         "more than 2 events without the initial-events-end bookmark"),
    ])
    func fallsBackToListsWhenTheServerIgnoresIt(case: String, lines: [String], end: ScriptedHTTPServer.End, reason: String) async throws {
        let server = try ScriptedHTTPServer { request in
            if Self.isWatchList(request) { return Self.stream(lines, end: end) }
            if request.path.contains("watch=1") { return .stall }
            return Script.list([Script.node("listed", rv: "1")], rv: "10")
        }
        defer { server.stop() }
        let events = Events()
        let store = try await run(server, until: { $0.objects.objects.keys.sorted() == ["listed"] }, events: events) {
            $0.initialEventsSilenceLimit = .milliseconds(300)
            $0.inactivityCheckInterval = .milliseconds(50)
            $0.initialEventsLimit = 2
        }
        #expect(store.isSynced, "\(`case`)")
        #expect(server.requests.filter(Self.isWatchList).count == 1, "\(`case`)")
        let reported = events.seen.withLock { $0 }.compactMap { event -> String? in
            if case .watchListUnsupported(let reason) = event { reason } else { nil }
        }
        #expect(reported.count == 1 && reported[0].contains(reason), "\(`case`): \(reported)")
    }

    /// An end bookmark without a resourceVersion gives nothing to resume from: not a sync. The
    /// watch-list is tried again (a failure, not a sign of an old server) and the next one syncs.
    @Test func anEndBookmarkWithoutAResourceVersionIsNotASync() async throws {
        let server = try Self.watchListServer(first: Self.stream([Script.event("ADDED", Script.node("a", rv: "1")), Self.end("")], end: .stall),
                                              then: Self.stream([Script.event("ADDED", Script.node("b", rv: "2")), Self.end("5")]))
        defer { server.stop() }
        let events = Events()
        let store = try await run(server, until: { $0.isSynced }, events: events)
        #expect(store.objects.objects.keys.sorted() == ["b"])
        #expect(server.requests.filter(Self.isWatchList).count == 2)
        #expect(!events.seen.withLock { $0 }.contains { if case .watchListUnsupported = $0 { true } else { false } })
    }

    @Test func aTransientFailureRetriesTheWatchListAfterABackoff() async throws {
        let unavailable = #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcd is down","reason":"ServiceUnavailable","code":503}"#
        let server = try Self.watchListServer(first: .response(status: 503, body: Array(unavailable.utf8)),
                                              then: Self.stream([Script.event("ADDED", Script.node("a", rv: "1")), Self.end("3")]))
        defer { server.stop() }
        let store = try await run(server) { $0.isSynced }
        #expect(store.objects.objects.keys.sorted() == ["a"])
        #expect(server.requests.filter(Self.isList).isEmpty, "a 503 is not a refusal of watch-list")
    }

    @Test func theOptionOffListsOnly() async throws {
        let server = try ScriptedHTTPServer { request in
            if request.path.contains("watch=1") { return .stall }
            return Script.list([Script.node("a", rv: "1")], rv: "10")
        }
        defer { server.stop() }
        _ = try await run(server, until: { $0.isSynced }) { $0.watchList = false }
        #expect(server.requests.filter(Self.isWatchList).isEmpty)
    }
}
