/// The `metadata` of any Kubernetes object, as far as Troxileia reads it.
public struct ObjectMetadata: Sendable, Hashable {
    public var name = ""
    /// Empty for cluster-scoped objects (Nodes).
    public var namespace = ""
    public var uid = ""
    public var resourceVersion = ""
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    /// `creationTimestamp`, RFC 3339 as sent.
    public var creationTimestamp: String?
    /// `deletionTimestamp` is set: the object is terminating.
    public var deletionTimestamp: String?

    public init() {}

    /// Reads a `metadata` object (the skimmer is at its `{`); unknown fields (managedFields,
    /// ownerReferences, …) are skipped. This is the one place object metadata is read from JSON.
    public static func read(_ skimmer: inout JSONSkimmer) throws(JSONSkimError) -> ObjectMetadata {
        var metadata = ObjectMetadata()
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            switch key {
            case "name": metadata.name = try skimmer.readOptionalString() ?? ""
            case "namespace": metadata.namespace = try skimmer.readOptionalString() ?? ""
            case "uid": metadata.uid = try skimmer.readOptionalString() ?? ""
            case "resourceVersion": metadata.resourceVersion = try skimmer.readOptionalString() ?? ""
            case "labels": metadata.labels = try readOptionalMap(&skimmer)
            case "annotations": metadata.annotations = try readOptionalMap(&skimmer)
            case "creationTimestamp": metadata.creationTimestamp = try skimmer.readOptionalString()
            case "deletionTimestamp": metadata.deletionTimestamp = try skimmer.readOptionalString()
            default: break
            }
        }
        return metadata
    }

    private static func readOptionalMap(_ skimmer: inout JSONSkimmer) throws(JSONSkimError) -> [String: String] {
        if try skimmer.peekKind() == .null { try skimmer.skipValue(); return [:] }
        return try skimmer.readStringMap()
    }

    /// The node this metadata describes.
    public var nodeRecord: NodeRecord {
        NodeRecord(name: name, uid: uid, labels: labels, annotations: annotations, isTerminating: deletionTimestamp != nil)
    }
}
