/// A consistent, immutable view of all nodes at one moment, with its port index.
///
/// The webhook decides against it and the reconciler computes the desired set from it; being a
/// value, a reader never sees a half-applied change.
public struct NodeSnapshot: Sendable {
    /// Nodes by name.
    public let nodes: [String: NodeRecord]
    /// The label keys the index was built with.
    public let keys: LabelKeys
    /// Which nodes hold which port.
    public let portIndex: PortIndex

    /// Builds a snapshot (and its index) from `nodes`; a later node with the same name replaces an earlier one.
    public init(nodes: some Sequence<NodeRecord>, keys: LabelKeys) {
        var byName: [String: NodeRecord] = [:]
        for node in nodes { byName[node.name] = node }
        self.nodes = byName
        self.keys = keys
        self.portIndex = PortIndex(nodes: byName.values, keys: keys)
    }

    /// A snapshot with no nodes.
    public static func empty(keys: LabelKeys) -> NodeSnapshot { NodeSnapshot(nodes: [], keys: keys) }
}

/// A source of node snapshots: the cluster reflector, or a NodeList file for trials.
///
/// The webhook and the reconciler depend on this protocol only, never on where nodes come from.
public protocol NodeInventory: Sendable {
    /// The latest snapshot. Non-blocking (at most a short lock), callable from any thread, but may
    /// cost a pass over every node: per-event readers use `portIndex()` and `nodeChanges(after:)`.
    func snapshot() -> NodeSnapshot
    /// `true` once the first full list has been loaded; before that, decisions would be made on
    /// an incomplete view and nothing may be pushed.
    var isSynced: Bool { get }
    /// A value after every change (the current one first), newest only: readers ask
    /// `nodeChanges(after:)` what changed and never need the intermediate states.
    func changes() -> AsyncStream<Int>
    /// The label keys nodes are read with. Default: the snapshot's.
    var labelKeys: LabelKeys { get }
    /// The port index now (what the webhook decides against). Default: the snapshot's.
    func portIndex() -> PortIndex
    /// The nodes changed after `cursor` (all of them for `nil`), with their labels already parsed.
    /// Default: every node of the snapshot, each time.
    func nodeChanges(after cursor: NodeChanges.Cursor?) -> NodeChanges
}

extension NodeInventory {
    public var labelKeys: LabelKeys { snapshot().keys }

    public func portIndex() -> PortIndex { snapshot().portIndex }

    public func nodeChanges(after cursor: NodeChanges.Cursor?) -> NodeChanges { NodeChanges(complete: snapshot()) }
}
