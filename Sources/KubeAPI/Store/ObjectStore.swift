import Synchronization

/// The objects of one kind as last seen from the API, keyed, with change notifications.
///
/// Writers (one reflector) replace or update under a short lock; readers take the whole map as a
/// value (copy-on-write, so a snapshot costs a reference count, not a copy) and never block the
/// writer for long. Subscribers get the version number after every change, newest only.
public final class ObjectStore<Value: Sendable & Hashable>: Sendable {
    /// What a change did, for logs and metrics.
    public struct Change: Sendable, Equatable {
        public var added: [String] = []
        public var updated: [String] = []
        public var deleted: [String] = []
        public var isEmpty: Bool { added.isEmpty && updated.isEmpty && deleted.isEmpty }
    }

    private struct State {
        var objects: [String: Value] = [:]
        var version = 0
        var synced = false
        var subscribers: [Int: AsyncStream<Int>.Continuation] = [:]
        var nextSubscriber = 0
    }

    private let state = Mutex(State())
    /// Told every change inside the store's lock, with the objects after it, so state derived from
    /// them (`NodeStore`'s index) changes in the same order and never sees a half-applied list.
    private let onChange: (@Sendable (Change, [String: Value]) -> Void)?

    /// An empty store. `onChange`, when given, runs under the store's lock after every change that
    /// altered something: it must be short and must not call back into the store.
    public init(onChange: (@Sendable (Change, [String: Value]) -> Void)? = nil) {
        self.onChange = onChange
    }

    /// All objects, as a value.
    public var objects: [String: Value] { state.withLock { $0.objects } }

    /// Incremented on every change that altered something.
    public var version: Int { state.withLock { $0.version } }

    /// `true` once a full list has been applied.
    public var isSynced: Bool { state.withLock { $0.synced } }

    /// Replaces everything with a full list: keys missing from it are deletions (a relist after
    /// a gap loses no transition), and the store is synced from now on.
    @discardableResult
    public func replace(with items: [(key: String, value: Value)]) -> Change {
        var fresh: [String: Value] = [:]
        fresh.reserveCapacity(items.count)
        for item in items { fresh[item.key] = item.value }
        return mutate(markSynced: true) { objects, change in
            for (key, value) in fresh {
                if let old = objects[key] {
                    if old != value { change.updated.append(key) }
                } else {
                    change.added.append(key)
                }
            }
            for key in objects.keys where fresh[key] == nil { change.deleted.append(key) }
            objects = fresh
        }
    }

    /// Adds or updates one object.
    @discardableResult
    public func upsert(key: String, value: Value) -> Change {
        mutate(markSynced: false) { objects, change in
            let old = objects.updateValue(value, forKey: key)
            if old == nil { change.added.append(key) } else if old != value { change.updated.append(key) }
        }
    }

    /// Removes one object.
    @discardableResult
    public func remove(key: String) -> Change {
        mutate(markSynced: false) { objects, change in
            if objects.removeValue(forKey: key) != nil { change.deleted.append(key) }
        }
    }

    /// The store's version after each change (and the current one first), newest only.
    public func changes() -> AsyncStream<Int> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int in
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            continuation.yield(state.version)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    private func mutate(markSynced: Bool, _ body: (inout [String: Value], inout Change) -> Void) -> Change {
        var change = Change()
        let notify = state.withLock { state -> (Int, [AsyncStream<Int>.Continuation])? in
            body(&state.objects, &change)
            if !change.isEmpty { onChange?(change, state.objects) }
            let becameSynced = markSynced && !state.synced
            if markSynced { state.synced = true }
            guard !change.isEmpty || becameSynced else { return nil }
            state.version += 1
            return (state.version, Array(state.subscribers.values))
        }
        if let (version, subscribers) = notify {
            for subscriber in subscribers { subscriber.yield(version) }
        }
        return change
    }
}
