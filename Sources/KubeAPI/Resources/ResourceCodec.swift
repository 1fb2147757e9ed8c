import TroxileiaCore

/// How one kind of object is read from API JSON into the value the stores keep.
///
/// Objects are read in one pass: `kind` and `metadata` by the shared reader, every other
/// top-level member offered to `read(_:_:into:)`, the rest skipped. A codec keeps only the
/// fields its store needs, which keeps memory flat at 5,000 nodes and 150,000 pods.
public protocol ResourceCodec: Sendable {
    /// The value kept in the store.
    associatedtype Value: Sendable & Hashable
    /// What `read` collects before `finish` builds the value.
    associatedtype Partial

    /// An empty partial value.
    static func emptyPartial() -> Partial
    /// Reads the top-level member `key` (not `kind`, `apiVersion` or `metadata`) into `partial`;
    /// leaving it unread skips it.
    static func read(_ key: String, _ skimmer: inout JSONSkimmer, into partial: inout Partial) throws(JSONSkimError)
    /// The value, from the metadata and what `read` collected.
    static func finish(_ metadata: ObjectMetadata, _ partial: Partial) -> Value
    /// The store key: name for cluster-scoped objects, UID where identity matters more.
    static func key(_ metadata: ObjectMetadata) -> String
}

/// One object as read from a list or watch.
public struct DecodedObject<Value: Sendable & Hashable>: Sendable, Hashable {
    public var key: String
    public var resourceVersion: String
    public var value: Value
}

/// Nodes, read as metadata only (`PartialObjectMetadata`): name, uid, labels, annotations, deletion.
public enum NodeCodec: ResourceCodec {
    public static func emptyPartial() {}
    public static func read(_ key: String, _ skimmer: inout JSONSkimmer, into partial: inout Void) throws(JSONSkimError) {}
    public static func finish(_ metadata: ObjectMetadata, _ partial: Void) -> NodeRecord { metadata.nodeRecord }
    public static func key(_ metadata: ObjectMetadata) -> String { metadata.name }
}
