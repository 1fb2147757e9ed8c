import KubeAPI
import Logging
import HTTPServerCore

/// A Kubernetes API server stand-in for tests, the demo and benchmarks: Nodes, Pods, Events and
/// Leases in memory, served over real HTTP/1.1 (TLS optional) by the Webhook module's server,
/// with kube-apiserver's wire shapes (README.md beside this file lists the easy-to-miss ones),
/// scenario controls and an optional validating webhook on Node writes.
///
/// Lifecycle: `init` → `start()` → `shutdown()`. Thread-safe.
public final class KubeStandIn: Sendable {
    /// The objects; seed them before or after `start()` with ``add(_:_:)``.
    public let store: ObjectStore
    /// Injected failures and latency.
    public let scenario: Scenario
    private let server: HTTPServer
    private let admission: AdmissionCaller?

    /// Prepares the server; nothing listens until `start()`.
    /// - Throws: `StandInError.configuration` for a webhook URL or CA that cannot be used.
    public init(configuration: Configuration = .init(), logger: Logger) throws(StandInError) {
        store = ObjectStore(historyLimit: configuration.historyLimit)
        scenario = Scenario()
        if let webhook = configuration.webhook {
            do {
                admission = try AdmissionCaller(urls: webhook.urls, spread: webhook.spread, certificateAuthority: webhook.certificateAuthority,
                                                webhookName: webhook.name, timeoutSeconds: webhook.timeoutSeconds, logger: logger)
            } catch {
                throw .configuration("failed to set up the webhook client: \(error)")
            }
        } else {
            admission = nil
        }
        let api = StandInAPI(store: store, scenario: scenario, admission: admission, settings: configuration, logger: logger)
        var serverConfiguration = HTTPServer.Configuration()
        serverConfiguration.eventLoopCount = configuration.eventLoopCount
        // Watches idle between bookmarks; keep-alive clients reuse connections like client-go.
        serverConfiguration.idleTimeout = .seconds(300)
        // kube-apiserver sends a watch-list's initial events at the client's pace (the cacher's
        // processInterval blocks on the watcher's channel) and cuts off only watchers that lag behind
        // live events; the stand-in writes a whole initial burst at once (ObjectStore.startWatch), so
        // its backlog must hold one: 50,000 metadata-only nodes are 36 MB.
        serverConfiguration.streamBacklogBytes = configuration.streamBacklogBytes
        server = HTTPServer(configuration: serverConfiguration,
                            listeners: [.init(name: "standin", address: configuration.listen, tls: configuration.tls, responder: api)],
                            observer: SilentServerObserver(), logger: logger)
    }

    /// Binds and serves.
    /// - Returns: the bound port (the real one when port 0 was asked for).
    /// - Throws: `StandInError.listen` when the address cannot be bound.
    @discardableResult
    public func start() throws(StandInError) -> UInt16 {
        do {
            return try server.start()["standin"] ?? 0
        } catch {
            throw .listen("\(error)")
        }
    }

    /// A client of this stand-in over plain HTTP at `port` (what `start()` returned), for tests.
    /// - Throws: `KubeAPIError` when libcurl cannot be set up.
    public static func client(port: UInt16, logger: Logger) throws(KubeAPIError) -> KubeClient {
        var transport = CurlTransport.Configuration(server: "http://127.0.0.1:\(port)")
        transport.allowPlainHTTP = true
        return KubeClient(transport: try CurlTransport(configuration: transport), logger: logger)
    }

    /// Ends every watch, closes the server and the webhook client.
    public func shutdown() async {
        store.dropWatches()
        await server.shutdown()
        await admission?.shutdown()
    }

    /// Stores an object of `kind` (JSON), as a POST would but without admission or validation.
    /// Its namespace, name, uid and creationTimestamp are kept when present.
    /// - Throws: `StandInError.invalidObject` for bytes that are not a JSON object or a taken name.
    @discardableResult
    public func add(_ kind: ResourceKind, _ json: [UInt8]) throws(StandInError) -> StoredObject {
        let value: JSONValue
        do { value = try JSONParser.parse(json) } catch { throw .invalidObject(error.description) }
        guard case .object = value else { throw .invalidObject("not a JSON object") }
        switch store.create(kind, value) {
        case .written(let object): return object
        case .failed(let status): throw .invalidObject(status.message)
        }
    }

    /// Stores every item of a list document (`{"items":[…]}`, as `kubectl get -o json` writes)
    /// or a single object.
    /// - Returns: how many objects were stored.
    @discardableResult
    public func load(_ kind: ResourceKind, document: [UInt8]) throws(StandInError) -> Int {
        let value: JSONValue
        do { value = try JSONParser.parse(document) } catch { throw .invalidObject(error.description) }
        guard case .array(let items)? = value["items"] else {
            try add(kind, document)
            return 1
        }
        for item in items {
            if case .failed(let status) = store.create(kind, item) { throw .invalidObject(status.message) }
        }
        return items.count
    }
}

/// What can go wrong setting up the stand-in.
public enum StandInError: Error, Sendable, Equatable, CustomStringConvertible {
    case configuration(String)
    case listen(String)
    case invalidObject(String)

    public var description: String {
        switch self {
        case .configuration(let reason): "invalid stand-in configuration: \(reason)"
        case .listen(let reason): "failed to listen: \(reason)"
        case .invalidObject(let reason): "failed to store the object: \(reason)"
        }
    }
}

