import HTTPServerCore

extension StandInAPI {
    /// Longest `timeoutSeconds` honoured (kube-apiserver's own default picks 30–60 min).
    static let maxWatchSeconds = 3600

    /// `GET …?watch=1`: an HTTP 200 chunked stream of `{"type":…,"object":…}\n` lines from
    /// `resourceVersion`; BOOKMARKs every `bookmarkInterval` when `allowWatchBookmarks=true`;
    /// ends cleanly after `timeoutSeconds`. A version older than the history gets one ERROR
    /// event (410 Expired) inside the 200 stream, then the end.
    ///
    /// A watch-list (`sendInitialEvents=true&resourceVersionMatch=NotOlderThan`) streams the
    /// current state as ADDED events in key order, then (with `allowWatchBookmarks=true`) a
    /// BOOKMARK annotated `k8s.io/initial-events-end` at the current version, then live events
    /// (watch/nodes-watch-initial-events.*); parameters kube-apiserver refuses get its 422
    /// (`ListOptionsValidation`), and `Scenario.watchList` plays older servers.
    func watch(_ path: APIPath, query: RequestQuery, request: HTTPRequest) -> HTTPResponse {
        let filter: WatchFilter
        switch Self.filter(path, query: query) {
        case .success(let value): filter = value
        case .failure(let status): return status.response
        }
        let support = scenario.watchList
        if support != .ignored,
           let invalid = ListOptionsValidation.check(query, watch: true, watchListEnabled: support == .served) {
            return invalid.response
        }
        // `nil`: not asked for (or ignored, as an old server would), so the legacy semantics apply.
        let sendInitialEvents = support == .ignored ? nil : query["sendInitialEvents"].map { _ in query.flag("sendInitialEvents") }
        let origin: ObjectStore.WatchOrigin
        switch (sendInitialEvents, query["resourceVersion"] ?? "") {
        case (true?, _):
            // Any resourceVersion is "not older than" the stand-in's current state, which it streams.
            origin = .current(initialEventsEnd: query.flag("allowWatchBookmarks"))
        case (false?, ""), (false?, "0"):
            origin = .after(store.resourceVersion)
        case (nil, ""), (nil, "0"):
            origin = .current(initialEventsEnd: false)
        case (_, let text):
            guard let version = Int(text), version >= 0 else {
                return StatusBody.badRequest("resourceVersion: Invalid value: \"\(text.prefix(64))\": must be a valid resourceVersion").response
            }
            origin = .after(version)
        }
        var seconds = Self.maxWatchSeconds / 2
        if let text = query["timeoutSeconds"] {
            guard let value = Int(text), value >= 0 else {
                return StatusBody.badRequest("timeoutSeconds: Invalid value: \"\(text.prefix(64))\"").response
            }
            if value > 0 { seconds = min(value, Self.maxWatchSeconds) }
        }
        let stream = HTTPBodyStream()
        let metadataOnly = Self.wantsMetadata(request, list: false)
        var headers = HTTPHeaders()
        headers.add(name: "Cache-Control", value: "no-cache, private")
        headers.add(name: "Content-Type", value: "application/json")
        let response = HTTPResponse(status: 200, headers: headers, stream: stream)
        guard let id = store.startWatch(path.kind, filter: filter, metadataOnly: metadataOnly, origin: origin, stream: stream) else {
            return response
        }
        let store = self.store
        stream.onClientGone { store.endWatch(id) }
        let bookmarks = query.flag("allowWatchBookmarks") ? settings.bookmarkInterval : nil
        Task { await Self.run(watch: id, store: store, deadline: .now + .seconds(seconds), bookmarkInterval: bookmarks) }
        return response
    }

    /// Sends periodic bookmarks until the deadline, then one last bookmark (kube-apiserver sends
    /// one shortly before it ends a watch: watch/bookmark-timing-20s.txt) and the end of the stream.
    private static func run(watch id: Int, store: ObjectStore, deadline: ContinuousClock.Instant,
                            bookmarkInterval: Duration?) async {
        var next = bookmarkInterval.map { ContinuousClock.now + $0 } ?? deadline
        while true {
            // Wake at least every second so a watch that ended early releases its task soon.
            let wake = min(next, deadline, ContinuousClock.now + .seconds(1))
            do { try await Task.sleep(until: wake) } catch { return }
            guard store.isOpen(watch: id) else { return }
            if wake >= deadline { break }
            guard wake >= next else { continue }
            guard store.bookmark(watch: id) else { return }
            next = wake + (bookmarkInterval ?? .seconds(60))
        }
        if bookmarkInterval != nil { _ = store.bookmark(watch: id) }
        store.endWatch(id)
    }
}
