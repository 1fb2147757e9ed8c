import Logging
import TroxileiaCore

/// Where a kind of object lives and how to select it.
public struct ResourceLocation: Sendable, Equatable {
    /// Collection path: `/api/v1/nodes`, `/api/v1/pods`, `/api/v1/namespaces/sensors/pods`.
    public var path: String
    /// Server-side label selector (`app in (zeek,suricata)`), or `nil` for all.
    public var labelSelector: String?
    /// Ask for `PartialObjectMetadata` only (nodes: ~20 KB of status each that we never read).
    public var metadataOnly: Bool

    public init(path: String, labelSelector: String? = nil, metadataOnly: Bool = false) {
        self.path = path
        self.labelSelector = labelSelector
        self.metadataOnly = metadataOnly
    }

    /// All nodes, metadata only.
    public static let nodes = ResourceLocation(path: "/api/v1/nodes", metadataOnly: true)

    /// Pods selected by `selector`, in `namespace` or all namespaces.
    public static func pods(namespace: String?, selector: String?) -> ResourceLocation {
        let path = namespace.map { "/api/v1/namespaces/\(KubeClient.escapePathSegment($0))/pods" } ?? "/api/v1/pods"
        return ResourceLocation(path: path, labelSelector: selector)
    }

    var listAccept: String {
        metadataOnly ? "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" : "application/json"
    }

    var watchAccept: String {
        metadataOnly ? "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" : "application/json"
    }
}

/// The typed layer over a `KubeTransport`: status bodies become `KubeAPIError.status`, lists and
/// watches come back decoded, a 429 on a read is retried after its `Retry-After`.
public final class KubeClient: Sendable {
    private let transport: any KubeTransport
    private let logger: Logger

    /// Reads retried at most this often on 429 before the error reaches the caller.
    static let maxThrottleRetries = 3

    public init(transport: any KubeTransport, logger: Logger) {
        self.transport = transport
        self.logger = logger
    }

    /// Sends `request`; a non-2xx answer throws its `Status`.
    public func send(_ request: KubeRequest) async throws(KubeAPIError) -> KubeResponse {
        var attempt = 0
        while true {
            let response = try await transport.send(request)
            if (200..<300).contains(response.status) { return response }
            let status = KubeStatus.from(response)
            if status.code == 429, request.method == .get, attempt < Self.maxThrottleRetries {
                attempt += 1
                let wait = status.retryAfter ?? .seconds(1)
                logger.warning("API server throttled a read; retrying", metadata: [
                    "http.path": "\(Self.pathOnly(request.path))", "retry.after": "\(wait)", "retry.attempt": "\(attempt)",
                ])
                do { try await Task.sleep(for: wait) } catch { throw .cancelled }
                continue
            }
            throw .status(status)
        }
    }

    /// One page of `location` (`limit` items at most, continuing from `continueToken`).
    public func list<Codec: ResourceCodec>(_ location: ResourceLocation, as codec: Codec.Type, limit: Int,
                                           continueToken: String?) async throws(KubeAPIError) -> ListPage<Codec.Value> {
        return try ListPage.decode(try await listBody(location, limit: limit, continueToken: continueToken), as: codec)
    }

    /// The raw body of one list page (decode it with `ListPage.decode`): lets a caller fetch the
    /// next page while it decodes this one.
    public func listBody(_ location: ResourceLocation, limit: Int, continueToken: String?) async throws(KubeAPIError) -> [UInt8] {
        var query = ["limit=\(limit)"]
        if let selector = location.labelSelector { query.append("labelSelector=\(Self.escapeQueryValue(selector))") }
        if let continueToken { query.append("continue=\(Self.escapeQueryValue(continueToken))") }
        let request = KubeRequest(path: location.path + "?" + query.joined(separator: "&"), accept: location.listAccept,
                                  timeout: .seconds(60))
        return try await send(request).body
    }

    /// Watches `location` from `resourceVersion`, with bookmarks, for `timeoutSeconds`; events
    /// arrive decoded, across any chunk boundaries. A non-200 answer throws its Status.
    ///
    /// Events are decoded as the consumer asks for them, from the transport's bounded stream: no
    /// task and no buffer of its own, so a consumer that lags pauses the transfer (issue 13).
    public func watch<Codec: ResourceCodec>(_ location: ResourceLocation, as codec: Codec.Type, from resourceVersion: String,
                                            timeoutSeconds: Int) -> AsyncThrowingStream<WatchEvent<Codec.Value>, any Error> {
        stream(location, as: codec, query: ["watch=1", "resourceVersion=\(Self.escapeQueryValue(resourceVersion))",
                                            "allowWatchBookmarks=true", "timeoutSeconds=\(timeoutSeconds)"])
    }

    /// A watch-list (KEP-3157, client-go's `WatchListClient`): a watch that first streams the
    /// current state as ADDED events, then a BOOKMARK annotated `k8s.io/initial-events-end: "true"`
    /// at the state's resourceVersion, then live events, in one response.
    ///
    /// The query is the one kube-apiserver v1.36 answered in watch/nodes-watch-initial-events.request.txt:
    /// `sendInitialEvents=true&resourceVersionMatch=NotOlderThan` with no `resourceVersion` (a
    /// consistent read of the current state, as client-go asks when it has no version to resume
    /// from), and bookmarks allowed (the end of the initial events is one). A server that forbids it
    /// answers 400/422 (thrown as its Status); one that ignores the parameters sends no such
    /// bookmark, which the caller has to detect.
    public func watchList<Codec: ResourceCodec>(_ location: ResourceLocation, as codec: Codec.Type,
                                                timeoutSeconds: Int) -> AsyncThrowingStream<WatchEvent<Codec.Value>, any Error> {
        stream(location, as: codec, query: ["watch=1", "sendInitialEvents=true", "resourceVersionMatch=NotOlderThan",
                                            "allowWatchBookmarks=true", "timeoutSeconds=\(timeoutSeconds)"])
    }

    private func stream<Codec: ResourceCodec>(_ location: ResourceLocation, as codec: Codec.Type,
                                              query: [String]) -> AsyncThrowingStream<WatchEvent<Codec.Value>, any Error> {
        var query = query
        if let selector = location.labelSelector { query.append("labelSelector=\(Self.escapeQueryValue(selector))") }
        let request = KubeRequest(path: location.path + "?" + query.joined(separator: "&"), accept: location.watchAccept,
                                  timeout: nil)
        let feed = WatchEventFeed<Codec>(parts: transport.stream(request))
        return AsyncThrowingStream(unfolding: { try await feed.next() })
    }

    /// `a b` → `a%20b`: everything but unreserved characters escaped (RFC 3986 §2.3).
    public static func escapeQueryValue(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// A path segment (namespace, name) escaped the same way.
    public static func escapePathSegment(_ value: String) -> String { escapeQueryValue(value) }

    /// The path without its query, for logs (a continue token or selector adds nothing there).
    static func pathOnly(_ path: String) -> Substring { path.prefix { $0 != "?" } }
}
