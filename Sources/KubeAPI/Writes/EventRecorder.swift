import Logging
import Synchronization
import TroxileiaCore

/// The object an Event is about.
public struct ObjectReference: Sendable, Hashable {
    public var kind: String
    public var apiVersion: String
    public var name: String
    /// Empty for cluster-scoped objects (Nodes).
    public var namespace: String
    public var uid: String

    public init(kind: String, apiVersion: String = "v1", name: String, namespace: String = "", uid: String = "") {
        self.kind = kind
        self.apiVersion = apiVersion
        self.name = name
        self.namespace = namespace
        self.uid = uid
    }

    /// A Node (cluster-scoped: its Events live in `default`).
    public static func node(_ name: String, uid: String = "") -> ObjectReference {
        ObjectReference(kind: "Node", name: name, uid: uid)
    }
}

/// Records `events.k8s.io/v1` Events without ever blocking the caller: `record` queues, a
/// worker writes. A repeat of the same event (object, type, reason, note) within the
/// aggregation window becomes a `series` update of the first one instead of a new object, as
/// client-go does, so a flapping condition cannot flood the API.
public final class EventRecorder: Sendable {
    /// Who reports, and the limits; defaults say why.
    public struct Configuration: Sendable {
        /// `reportingController` (default `troxileia.io/reconciler`).
        public var controller = "troxileia.io/reconciler"
        /// `reportingInstance`: this replica (the pod name).
        public var instance: String
        /// Repeats within this window update the first event's series (default 10 min, client-go's).
        public var aggregationWindow: Duration = .seconds(600)
        /// Events waiting to be written at most; older ones are dropped (and counted in a log line).
        public var queueLimit = 1000

        public init(instance: String) { self.instance = instance }
    }

    /// `Normal` or `Warning`.
    public enum EventType: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    struct Pending: Sendable {
        var type: EventType
        var reason: String
        var note: String
        var action: String
        var regarding: ObjectReference
        var related: ObjectReference?
        var time: KubeTime
    }

    private let client: KubeClient
    private let configuration: Configuration
    private let logger: Logger
    private let queue: AsyncStream<Pending>
    private let input: AsyncStream<Pending>.Continuation

    public init(client: KubeClient, configuration: Configuration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        (queue, input) = AsyncStream.makeStream(of: Pending.self, bufferingPolicy: .bufferingNewest(configuration.queueLimit))
    }

    /// Queues an Event; returns at once. `note` is cut to the API's 1 KiB limit.
    public func record(_ type: EventType, reason: String, note: String, regarding: ObjectReference,
                       related: ObjectReference? = nil, action: String = "Reconcile") {
        let pending = Pending(type: type, reason: reason, note: Self.truncated(note, toBytes: 1024),
                              action: action, regarding: regarding, related: related, time: .wallNow)
        if case .dropped = input.yield(pending) {
            logger.warning("event queue full; dropped the oldest event", metadata: ["event.reason": "\(reason)"])
        }
    }

    /// `text` cut at a character boundary to at most `limit` UTF-8 bytes.
    static func truncated(_ text: String, toBytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var count = 0
        return String(text.prefix { character in
            count += character.utf8.count
            return count <= limit
        })
    }

    /// Writes queued events until cancelled (or `finish()`).
    public func run() async {
        var series = EventSeries(window: configuration.aggregationWindow)
        for await pending in queue {
            await write(pending, series: &series)
        }
    }

    /// Stops the worker once the queue is drained.
    public func finish() { input.finish() }

    private func write(_ pending: Pending, series: inout EventSeries) async {
        let namespace = pending.regarding.namespace.isEmpty ? "default" : pending.regarding.namespace
        let path = "/apis/events.k8s.io/v1/namespaces/\(KubeClient.escapePathSegment(namespace))/events"
        let key = EventSeries.Key(regarding: pending.regarding, type: pending.type.rawValue, reason: pending.reason, note: pending.note)
        do {
            if let repeat_ = series.repeated(key, now: .now) {
                var json = JSONWriter()
                json.raw(#"{"series":{"count":\#(repeat_.count),"#)
                json.field("lastObservedTime", pending.time.microTime)
                json.raw("}}")
                _ = try await client.send(KubeRequest(method: .patch, path: "\(path)/\(KubeClient.escapePathSegment(repeat_.name))",
                                                      contentType: "application/merge-patch+json", body: json.bytes))
            } else {
                let name = "\(pending.regarding.name).\(String(UInt64.random(in: 1...UInt64.max), radix: 16))"
                let body = EventEncoding.event(pending, name: name, namespace: namespace, configuration: configuration)
                _ = try await client.send(KubeRequest(method: .post, path: path, contentType: "application/json", body: body))
                series.created(key, name: name, now: .now)
            }
        } catch {
            logger.warning("failed to record event", metadata: [
                "event.reason": "\(pending.reason)", "event.regarding": "\(pending.regarding.kind)/\(pending.regarding.name)",
                "error": "\(error)",
            ])
        }
    }
}
