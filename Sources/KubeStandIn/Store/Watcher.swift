import HTTPServerCore

/// One open watch. Lives in the store's state and is touched only under its lock, so it needs
/// no lock of its own; producers elsewhere refer to it by `id`.
final class Watcher {
    let id: Int
    let kind: ResourceKind
    let filter: WatchFilter
    let metadataOnly: Bool
    let stream: HTTPBodyStream
    /// A stalled watch stays open but sends nothing more (scenario control).
    var stalled = false

    init(id: Int, kind: ResourceKind, filter: WatchFilter, metadataOnly: Bool, stream: HTTPBodyStream) {
        self.id = id
        self.kind = kind
        self.filter = filter
        self.metadataOnly = metadataOnly
        self.stream = stream
    }

    /// Sends the event `entry` means for this watcher's selection, if any: one line, one chunk.
    func deliver(_ entry: HistoryEntry) {
        guard !stalled, let change = filter.event(for: entry) else { return }
        stream.write(Self.line(type: change.rawValue, object: entry.object.encoded(metadataOnly: metadataOnly)))
    }

    /// Sends a BOOKMARK at `resourceVersion`.
    func bookmark(resourceVersion: Int, initialEventsEnd: Bool) {
        guard !stalled else { return }
        let object = metadataOnly
            ? JSONValue.object([("kind", .string("PartialObjectMetadata")), ("apiVersion", .string("meta.k8s.io/v1")),
                                ("metadata", kind.bookmarkObject(resourceVersion: String(resourceVersion), initialEventsEnd: initialEventsEnd)["metadata"] ?? .null)])
            : kind.bookmarkObject(resourceVersion: String(resourceVersion), initialEventsEnd: initialEventsEnd)
        stream.write(Self.line(type: "BOOKMARK", object: object.bytes))
    }

    /// `{"type":…,"object":…}\n`: one watch event as kube-apiserver frames it.
    static func line(type: String, object: [UInt8]) -> [UInt8] {
        var out = Array("{\"type\":\"\(type)\",\"object\":".utf8)
        out.reserveCapacity(out.count + object.count + 2)
        out.append(contentsOf: object)
        out.append(contentsOf: "}\n".utf8)
        return out
    }
}
