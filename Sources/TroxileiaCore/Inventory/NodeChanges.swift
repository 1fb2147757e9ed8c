/// One node as the store last saw it, with its contract labels parsed once (issue 18).
public struct NodeEntry: Hashable, Sendable {
    /// The node as listed or watched.
    public let record: NodeRecord
    /// Its labels, parsed under the store's keys.
    public let facts: NodeFacts

    public init(record: NodeRecord, facts: NodeFacts) {
        self.record = record
        self.facts = facts
    }

    /// Parses `record` under `keys`.
    public init(_ record: NodeRecord, keys: LabelKeys) {
        self.init(record: record, facts: NodeFacts(record, keys: keys))
    }
}

/// The nodes changed since a reader last asked (`NodeInventory.nodeChanges(after:)`): what lets the
/// reconciler update its state by the delta instead of re-reading the cluster on every event.
public struct NodeChanges: Sendable {
    /// Where a reader stands in the store's change journal; hand it back on the next call.
    public struct Cursor: Hashable, Sendable {
        /// Changes recorded before this position have been read.
        public let position: Int

        public init(position: Int) { self.position = position }
    }

    /// Nodes added or changed (every node when `isComplete`), as they are now.
    public let upserted: [NodeEntry]
    /// Names of the nodes removed; empty when `isComplete` (a reader removes what `upserted` lacks).
    public let removed: [String]
    /// `upserted` holds every node: the reader's first call, or one that fell behind the journal.
    public let isComplete: Bool
    /// The position to read from next time; `nil` when the source keeps no journal (every call is complete).
    public let cursor: Cursor?

    public init(upserted: [NodeEntry], removed: [String], isComplete: Bool, cursor: Cursor?) {
        self.upserted = upserted
        self.removed = removed
        self.isComplete = isComplete
        self.cursor = cursor
    }

    /// Every node of `snapshot`, parsed: the answer of a source without a journal.
    public init(complete snapshot: NodeSnapshot) {
        self.init(upserted: snapshot.nodes.values.map { NodeEntry($0, keys: snapshot.keys) }, removed: [],
                  isComplete: true, cursor: nil)
    }

    /// Nothing changed.
    public var isEmpty: Bool { upserted.isEmpty && removed.isEmpty && !isComplete }
}
