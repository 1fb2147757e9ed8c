/// One object as kept: its JSON and the two encodings the API sends, made once per write so
/// that listing 150,000 pods copies bytes instead of re-encoding.
public struct StoredObject: Sendable, Equatable {
    /// The full object.
    public var value: JSONValue
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`, empty for cluster-scoped objects.
    public var namespace: String
    /// The store key (`name` or `namespace/name`).
    public var key: String
    /// `metadata.resourceVersion` as a number.
    public var resourceVersion: Int
    /// `metadata.labels`.
    public var labels: [String: String]
    /// The full object as compact JSON.
    public var bytes: [UInt8]
    /// The `PartialObjectMetadata` form (metadata-only Accept headers).
    public var metadataBytes: [UInt8]

    /// Wraps `value`, whose metadata must already hold its final name and resourceVersion.
    /// `kind` and `apiVersion` are set from `kind` and moved first, as kube-apiserver writes them.
    init(_ value: JSONValue, kind: ResourceKind) {
        var members = (value.members ?? []).filter { $0.0 != "kind" && $0.0 != "apiVersion" }
        members.insert(contentsOf: [("kind", .string(kind.kind)), ("apiVersion", .string(kind.apiVersion))], at: 0)
        let value = JSONValue.object(members)
        self.value = value
        name = value.metadataString("name") ?? ""
        namespace = value.metadataString("namespace") ?? ""
        key = kind.key(namespace: namespace, name: name)
        resourceVersion = Int(value.metadataString("resourceVersion") ?? "") ?? 0
        labels = value["metadata"]?["labels"]?.stringMap ?? [:]
        bytes = value.bytes
        metadataBytes = JSONValue.object([
            ("kind", .string("PartialObjectMetadata")), ("apiVersion", .string("meta.k8s.io/v1")),
            ("metadata", value["metadata"] ?? .object([])),
        ]).bytes
    }

    /// The encoding for a client that asked for metadata only, or the full one.
    func encoded(metadataOnly: Bool) -> [UInt8] { metadataOnly ? metadataBytes : bytes }

    /// The form inside a full list's `items`: without `kind` and `apiVersion`
    /// (list/nodes-list.json); metadata-only items keep theirs (metadata/nodes-list-metadata.json).
    func appendListItem(to out: inout [UInt8], metadataOnly: Bool, kind: ResourceKind) {
        if metadataOnly { out.append(contentsOf: metadataBytes); return }
        let prefixLength = "{\"kind\":\"\(kind.kind)\",\"apiVersion\":\"\(kind.apiVersion)\",".utf8.count
        guard bytes.count > prefixLength else { out.append(contentsOf: bytes); return }
        out.append(UInt8(ascii: "{"))
        out.append(contentsOf: bytes[prefixLength...])
    }
}

/// One change in a kind's history, kept so a watch can resume from an older resourceVersion.
struct HistoryEntry: Sendable {
    enum Change: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    var change: Change
    /// The object after the change (for a deletion: its last state at the deletion's version).
    var object: StoredObject
    /// Labels before the change, so a selector watch can turn a change into ADDED or DELETED.
    var previousLabels: [String: String]?
}
