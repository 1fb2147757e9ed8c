import HTTPServerCore

extension ObjectStore {
    /// Where a watch starts.
    enum WatchOrigin: Sendable {
        /// No resourceVersion, or "0": ADDED for every current object first; with
        /// `initialEventsEnd` a BOOKMARK annotated `k8s.io/initial-events-end` follows them.
        case current(initialEventsEnd: Bool)
        /// After this version: the history since, then live changes.
        case after(Int)
    }

    /// Size of the chunks the initial burst is cut into, splitting events as kube-apiserver
    /// does (watch/nodes-watch-initial-events.raw: 2048, 2048, 823).
    static let initialChunkSize = 2048

    /// Opens a watch on `stream` and returns its id, or nil when `origin` is older than the
    /// kind's history: then the stream got one ERROR event (410 Expired) and was finished,
    /// exactly as kube-apiserver answers (gone/watch-rv-older-than-watch-cache.json).
    func startWatch(_ kind: ResourceKind, filter: WatchFilter, metadataOnly: Bool, origin: WatchOrigin,
                    stream: HTTPBodyStream) -> Int? {
        state.withLock { state -> Int? in
            let shelf = state.shelves[kind] ?? Shelf()
            var burst: [UInt8] = []
            switch origin {
            case .after(let version) where version < shelf.floor:
                let status = StatusBody(code: 410, reason: "Expired",
                                        message: "too old resource version: \(version) (\(shelf.floor + 1))")
                stream.write(Watcher.line(type: "ERROR", object: status.json.bytes))
                stream.finish()
                return nil
            case .after(let version):
                for entry in shelf.history where entry.object.resourceVersion > version {
                    guard let change = filter.event(for: entry) else { continue }
                    burst += Watcher.line(type: change.rawValue, object: entry.object.encoded(metadataOnly: metadataOnly))
                }
                for line in Self.lines(of: burst) { stream.write(line) }
                burst = []
            case .current:
                for object in shelf.objects.values.sorted(by: { $0.key < $1.key }) where filter.matches(object) {
                    burst += Watcher.line(type: "ADDED", object: object.encoded(metadataOnly: metadataOnly))
                }
            }
            var start = burst.startIndex
            while start < burst.endIndex {
                let end = min(start + Self.initialChunkSize, burst.endIndex)
                stream.write(Array(burst[start..<end]))
                start = end
            }
            let id = state.nextWatchID
            state.nextWatchID += 1
            let watcher = Watcher(id: id, kind: kind, filter: filter, metadataOnly: metadataOnly, stream: stream)
            if case .current(true) = origin { watcher.bookmark(resourceVersion: state.resourceVersion, initialEventsEnd: true) }
            state.watchers[id] = watcher
            return id
        }
    }

    /// Replayed history goes out one event per chunk, like live events.
    private static func lines(of burst: [UInt8]) -> [[UInt8]] {
        burst.split(separator: UInt8(ascii: "\n")).map { Array($0) + [UInt8(ascii: "\n")] }
    }

    /// Sends a BOOKMARK at the current version on watch `id`; false when the watch is gone.
    func bookmark(watch id: Int) -> Bool {
        state.withLock { state in
            guard let watcher = state.watchers[id], watcher.stream.isOpen else { return false }
            watcher.bookmark(resourceVersion: state.resourceVersion, initialEventsEnd: false)
            return true
        }
    }

    /// Whether watch `id` is still registered and its client still there.
    func isOpen(watch id: Int) -> Bool {
        state.withLock { $0.watchers[id]?.stream.isOpen ?? false }
    }

    /// Ends watch `id` cleanly (the terminating chunk), as at `timeoutSeconds`.
    func endWatch(_ id: Int) {
        let stream = state.withLock { $0.watchers.removeValue(forKey: id)?.stream }
        stream?.finish()
    }

    /// Ends every open watch (scenario control: the API server restarted or a proxy dropped them).
    public func dropWatches() {
        let streams = state.withLock { state in
            defer { state.watchers = [:] }
            return state.watchers.values.map(\.stream)
        }
        for stream in streams { stream.finish() }
    }

    /// Makes every open watch go silent without closing (scenario control: a stalled stream
    /// that only the client's inactivity check can detect). Later watches are not affected.
    public func stallWatches() {
        state.withLock { state in for watcher in state.watchers.values { watcher.stalled = true } }
    }

    /// The number of open watches.
    public var openWatchCount: Int { state.withLock { $0.watchers.values.filter { $0.stream.isOpen }.count } }
}
