import Logging
import Synchronization
import Testing
import TroxileiaCore
@testable import KubeAPI

/// What the reflector tests script a server with (metadata-only nodes, lists, watch lines cut into
/// small pieces) and the reflector they run against it.
enum ReflectorScript {
    static func node(_ name: String, rv: String, port: String? = nil) -> String {
        let labels = port.map { #","labels":{"port":"\#($0)","sensor":"true"}"# } ?? ""
        return #"{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"\#(name)","uid":"u-\#(name)","resourceVersion":"\#(rv)"\#(labels)}}"#
    }

    static func event(_ type: String, _ object: String) -> String { #"{"type":"\#(type)","object":\#(object)}"# }

    static func list(_ items: [String], rv: String, continueToken: String? = nil) -> ScriptedHTTPServer.Reply {
        let token = continueToken.map { #","continue":"\#($0)""# } ?? ""
        let body = #"{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"\#(rv)"\#(token)},"items":[\#(items.joined(separator: ","))]}"#
        return .response(status: 200, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
    }

    /// Watch lines as a chunked 200, cut every `pieceSize` bytes (events split anywhere).
    static func watch(_ lines: [String], end: ScriptedHTTPServer.End = .complete, pieceSize: Int = 7) -> ScriptedHTTPServer.Reply {
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        let pieces = stride(from: 0, to: bytes.count, by: pieceSize).map {
            ScriptedHTTPServer.Piece(bytes: Array(bytes[$0..<min($0 + pieceSize, bytes.count)]), delay: .milliseconds(2))
        }
        return .chunked(status: 200, headers: ["Content-Type": "application/json"], pieces: pieces, end: end)
    }

    /// What the reflector reported.
    final class Events: Sendable {
        let seen = Mutex<[Reflector<NodeCodec>.Event]>([])
        init() {}
    }

    /// Runs a node reflector (pages of 2, 20 ms backoff, `configure` applied) against `server`
    /// until `condition` holds (15 s at most, then an issue is recorded); returns its store.
    static func run(_ server: ScriptedHTTPServer, until condition: @escaping @Sendable (NodeStore) -> Bool,
                    events: Events = Events(),
                    configure: (inout Reflector<NodeCodec>.Configuration) -> Void) async throws -> NodeStore {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let client = KubeClient(transport: try server.transport(), logger: logger)
        let store = NodeStore(keys: .default)
        var configuration = Reflector<NodeCodec>.Configuration()
        configuration.pageSize = 2
        configuration.backoff.initial = .milliseconds(20)
        configure(&configuration)
        let reflector = Reflector(name: "nodes", client: client, location: .nodes, store: store.objects, as: NodeCodec.self,
                                  configuration: configuration, logger: logger,
                                  onEvent: { event in events.seen.withLock { $0.append(event) } })
        let task = Task { await reflector.run() }
        defer { task.cancel() }
        let deadline = ContinuousClock.now + .seconds(15)
        while !condition(store) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(condition(store), "store never reached the expected state: \(store.objects.objects.keys.sorted())")
        return store
    }
}
