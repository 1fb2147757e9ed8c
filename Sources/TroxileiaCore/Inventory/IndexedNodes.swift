/// The nodes of a store with each node's labels parsed once when it changes, the port index kept by
/// delta, and a bounded journal of the names changed (issue 18): the webhook reads the index, the
/// reconciler reads the journal, and neither re-reads the cluster on a node event.
///
/// A value: pure, no I/O, no lock (KubeAPI's `NodeStore` holds it under its lock).
public struct IndexedNodes: Sendable {
    /// The label keys every node is parsed with.
    public let keys: LabelKeys
    /// Every node with its parsed labels, by name.
    public private(set) var entries: [String: NodeEntry] = [:]
    /// Which nodes hold which port.
    public private(set) var portIndex = PortIndex()
    /// How many changed names the journal keeps (default 16,384: about 256 KiB of names, and ten
    /// times a fast burst's events between two reads of the reconciler). A reader further behind
    /// gets every node instead (`NodeChanges.isComplete`), so the bound costs time, never a change.
    public let journalCapacity: Int
    /// Names changed, oldest first; `journal[0]` is at position `journalStart`.
    private var journal: [String] = []
    private var journalStart = 0

    /// No nodes; `journalCapacity` is at least 2.
    public init(keys: LabelKeys, journalCapacity: Int = 16_384) {
        self.keys = keys
        self.journalCapacity = max(journalCapacity, 2)
    }

    /// Number of nodes held.
    public var count: Int { entries.count }

    /// Adds or replaces a node (its labels parsed here, once).
    public mutating func upsert(_ record: NodeRecord) {
        let old = entries[record.name]
        guard old?.record != record else { return }
        let entry = NodeEntry(record, keys: keys)
        if let port = old?.facts.port, port != entry.facts.port { portIndex.remove(record.name, holding: port) }
        if let port = entry.facts.port { portIndex.insert(record.name, holding: port) }
        entries[record.name] = entry
        note(record.name)
    }

    /// Removes a node; nothing happens when it is not held.
    public mutating func remove(_ name: String) {
        guard let old = entries.removeValue(forKey: name) else { return }
        if let port = old.facts.port { portIndex.remove(name, holding: port) }
        note(name)
    }

    /// The nodes changed after `cursor`, each once, as they are now; every node when `cursor` is
    /// `nil`, from another journal, or older than the journal keeps. O(changes) otherwise.
    public func changes(after cursor: NodeChanges.Cursor?) -> NodeChanges {
        let end = journalStart + journal.count
        guard let cursor, cursor.position >= journalStart, cursor.position <= end else {
            return NodeChanges(upserted: Array(entries.values), removed: [], isComplete: true,
                               cursor: NodeChanges.Cursor(position: end))
        }
        var seen: Set<String> = []
        var upserted: [NodeEntry] = []
        var removed: [String] = []
        for name in journal[(cursor.position - journalStart)...] where seen.insert(name).inserted {
            if let entry = entries[name] { upserted.append(entry) } else { removed.append(name) }
        }
        return NodeChanges(upserted: upserted, removed: removed, isComplete: false,
                           cursor: NodeChanges.Cursor(position: end))
    }

    private mutating func note(_ name: String) {
        journal.append(name)
        guard journal.count > journalCapacity else { return }
        // Drop the older half at once, so trimming costs O(1) per change on average.
        let dropped = journal.count - journalCapacity / 2
        journal.removeFirst(dropped)
        journalStart += dropped
    }
}
