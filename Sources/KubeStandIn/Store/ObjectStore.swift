import Foundation
import Synchronization

/// The stand-in's etcd: objects by kind and key, one global resourceVersion counter, a bounded
/// history of changes per kind, and the open watches, all under one lock so that a write, its
/// history entry and its watch events happen in one step and watchers see changes in order.
///
/// Thread-safe; every method is short and non-blocking (event-loop threads call it).
public final class ObjectStore: Sendable {
    struct Shelf {
        var objects: [String: StoredObject] = [:]
        var history: [HistoryEntry] = []
        /// Every change after this version is in `history`; a watch or exact list from an older
        /// version gets 410 Expired.
        var floor = 0
        /// `objects`' keys in order, made by the first list page after a write that added or
        /// deleted one (`page`).
        var sortedKeys: [String]?
    }

    struct State {
        var resourceVersion = 0
        var shelves: [ResourceKind: Shelf] = [:]
        var watchers: [Int: Watcher] = [:]
        var nextWatchID = 1
    }

    let state = Mutex(State())
    /// History entries kept per kind (default 10,000); older ones are dropped and their versions
    /// answer 410, like kube-apiserver's watch cache window.
    let historyLimit: Int

    /// An empty store.
    public init(historyLimit: Int = 10_000) {
        self.historyLimit = max(1, historyLimit)
    }

    /// The latest resourceVersion handed out.
    public var resourceVersion: Int { state.withLock { $0.resourceVersion } }

    /// One object, or nil.
    public func get(_ kind: ResourceKind, namespace: String?, name: String) -> StoredObject? {
        state.withLock { $0.shelves[kind]?.objects[kind.key(namespace: namespace, name: name)] }
    }

    /// Every object of `kind` in `namespace` (all when nil), sorted by key.
    public func all(_ kind: ResourceKind, namespace: String? = nil) -> [StoredObject] {
        state.withLock { state in
            (state.shelves[kind]?.objects.values ?? [:].values)
                .filter { namespace == nil || $0.namespace == namespace }
                .sorted { $0.key < $1.key }
        }
    }

    /// The oldest version from which a watch can still resume, per kind.
    func floor(of kind: ResourceKind) -> Int { state.withLock { $0.shelves[kind]?.floor ?? 0 } }

    // MARK: Writes

    /// What a write did.
    enum WriteOutcome: Sendable {
        case written(StoredObject)
        case failed(StatusBody)
    }

    /// Creates `value`: sets `uid`, `creationTimestamp` and `resourceVersion`. Fails with 409
    /// AlreadyExists when the key is taken.
    func create(_ kind: ResourceKind, _ value: JSONValue, dryRun: Bool = false) -> WriteOutcome {
        state.withLock { state in
            var value = value
            let name = value.metadataString("name") ?? ""
            let key = kind.key(namespace: value.metadataString("namespace"), name: name)
            if state.shelves[kind]?.objects[key] != nil { return .failed(.alreadyExists(kind, name: name)) }
            if value.metadataString("uid") == nil { value.setMetadata("uid", .string(UUID().uuidString.lowercased())) }
            if value.metadataString("creationTimestamp") == nil {
                value.setMetadata("creationTimestamp", .string(Self.timestamp(Date())))
            }
            return commit(kind, value, change: .added, previous: nil, dryRun: dryRun, state: &state)
        }
    }

    /// Replaces the object at `value`'s key. When `expectedVersion` is given and differs from the
    /// stored one: 409 Conflict. `uid` and `creationTimestamp` are kept from the stored object.
    func update(_ kind: ResourceKind, _ value: JSONValue, expectedVersion: String?, dryRun: Bool = false) -> WriteOutcome {
        state.withLock { state in
            var value = value
            let name = value.metadataString("name") ?? ""
            let key = kind.key(namespace: value.metadataString("namespace"), name: name)
            guard let old = state.shelves[kind]?.objects[key] else { return .failed(.notFound(kind, name: name)) }
            if let expectedVersion, !expectedVersion.isEmpty, expectedVersion != String(old.resourceVersion) {
                return .failed(.conflict(kind, name: name))
            }
            for field in ["uid", "creationTimestamp"] { value.setMetadata(field, old.value["metadata"]?[field]) }
            return commit(kind, value, change: .modified, previous: old, dryRun: dryRun, state: &state)
        }
    }

    /// Deletes an object; the DELETED event carries its last state at the deletion's version.
    /// With `expectedVersion` (a DeleteOptions precondition) a different stored version fails
    /// with 409 Conflict, as kube-apiserver answers a failed precondition.
    func delete(_ kind: ResourceKind, namespace: String?, name: String, expectedVersion: String? = nil) -> WriteOutcome {
        state.withLock { state in
            let key = kind.key(namespace: namespace, name: name)
            guard let old = state.shelves[kind]?.objects[key] else { return .failed(.notFound(kind, name: name)) }
            if let expectedVersion, !expectedVersion.isEmpty, expectedVersion != String(old.resourceVersion) {
                return .failed(.conflict(kind, name: name))
            }
            return commit(kind, old.value, change: .deleted, previous: old, dryRun: false, state: &state)
        }
    }

    private func commit(_ kind: ResourceKind, _ value: JSONValue, change: HistoryEntry.Change, previous: StoredObject?,
                        dryRun: Bool, state: inout State) -> WriteOutcome {
        var value = value
        let version = state.resourceVersion + 1
        value.setMetadata("resourceVersion", .string(String(version)))
        let object = StoredObject(value, kind: kind)
        if dryRun { return .written(object) }
        state.resourceVersion = version
        // Mutated in place through the subscript: copying the shelf out and back would copy every
        // object of the kind on every write (quadratic when loading 150,000 pods).
        if change == .deleted {
            state.shelves[kind, default: Shelf()].objects[object.key] = nil
        } else {
            state.shelves[kind, default: Shelf()].objects[object.key] = object
        }
        if change != .modified { state.shelves[kind, default: Shelf()].sortedKeys = nil }
        let entry = HistoryEntry(change: change, object: object, previousLabels: previous?.labels)
        state.shelves[kind, default: Shelf()].history.append(entry)
        // Trimmed in batches (a quarter of the limit at a time) so the shift is amortised.
        let count = state.shelves[kind, default: Shelf()].history.count
        if count > historyLimit + max(1, historyLimit / 4) {
            let dropped = count - historyLimit
            state.shelves[kind, default: Shelf()].floor = state.shelves[kind, default: Shelf()].history[dropped - 1].object.resourceVersion
            state.shelves[kind, default: Shelf()].history.removeFirst(dropped)
        }
        for watcher in state.watchers.values where watcher.kind == kind { watcher.deliver(entry) }
        return .written(object)
    }

    // MARK: Scenario controls

    /// Forgets history up to and including `resourceVersion` (default: all of it), so watches and
    /// exact lists from those versions get 410 Expired.
    public func compact(upTo resourceVersion: Int? = nil) {
        state.withLock { state in
            let limit = resourceVersion ?? state.resourceVersion
            for kind in Array(state.shelves.keys) {
                guard var shelf = state.shelves[kind] else { continue }
                shelf.history.removeAll { $0.object.resourceVersion <= limit }
                shelf.floor = max(shelf.floor, limit)
                state.shelves[kind] = shelf
            }
        }
    }

    /// A timestamp in RFC 3339 seconds form, as metadata carries.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
