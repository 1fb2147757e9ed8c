import Logging
import Synchronization
import TroxileiaCore

/// Keeps an `ObjectStore` equal to the API's view of one kind: sync (a watch-list, or a paginated
/// list), then watch, forever, as `ReflectorMachine` decides. Runs until its task is cancelled.
public final class Reflector<Codec: ResourceCodec>: Sendable {
    /// Paging, watch timing and backoff; each default says where it comes from.
    public struct Configuration: Sendable {
        /// Items per list page (default 500, client-go's): bounds the memory of one response.
        public var pageSize = 500
        /// The watch's `timeoutSeconds`, drawn from this range each time (default 300–360 s:
        /// client-go's "about 5 minutes", jittered so replicas do not reconnect in step).
        public var watchTimeoutSeconds: ClosedRange<Int> = 300...360
        /// No event for this long means a dead connection (default 90 s: bookmarks come about
        /// every minute).
        public var inactivityLimit: Duration = .seconds(90)
        /// How often inactivity is checked (default 1 s).
        public var inactivityCheckInterval: Duration = .seconds(1)
        public var backoff = Backoff.Configuration()
        /// Sync with a watch-list (`sendInitialEvents=true`) where the server supports it, falling
        /// back to paginated lists where it does not (default true: one streamed response instead of
        /// a round trip per page, as client-go 1.36's informers do; issue 18).
        public var watchList = true
        /// A watch-list silent this long before its initial-events-end bookmark is taken for a
        /// server that ignored `sendInitialEvents` (default 10 s: a real one streams its initial
        /// events back to back — watch/bookmark-timing-initial-events-70s.txt has them all within
        /// 4 ms — while one that ignores it sends the state and then nothing until something changes).
        public var initialEventsSilenceLimit: Duration = .seconds(10)
        /// Initial events buffered at most before the bookmark (default 1,000,000: 20 times the
        /// 50,000 nodes of the largest benchmark, so only a server streaming without end reaches it;
        /// reaching it falls back to lists, whose pages bound themselves).
        public var initialEventsLimit = 1_000_000

        public init() {}
    }

    /// What the reflector did, for metrics and logs.
    public enum Event: Sendable, Equatable {
        /// A full list was applied.
        case listed(items: Int, pages: Int)
        /// A watch-list's initial events were applied (at its initial-events-end bookmark).
        case streamed(items: Int)
        /// The server refused or ignored a watch-list: paginated lists from now on.
        case watchListUnsupported(reason: String)
        /// A list started again after a 410 or a failure.
        case relisting(reason: String)
        /// A watch ended and was reopened.
        case watchRestarted(reason: String)
    }

    private enum WatchOutcome: Sendable {
        case ended, expired, inactive
        case failed(KubeStatus?, String)
        /// A watch-list's stream showed that the server ignored `sendInitialEvents`.
        case initialEventsIgnored(String)
    }

    private let name: String
    private let client: KubeClient
    private let location: ResourceLocation
    private let store: ObjectStore<Codec.Value>
    private let configuration: Configuration
    private let logger: Logger
    private let onEvent: @Sendable (Event) -> Void

    public init(name: String, client: KubeClient, location: ResourceLocation, store: ObjectStore<Codec.Value>,
                as codec: Codec.Type, configuration: Configuration = .init(), logger: Logger,
                onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.name = name
        self.client = client
        self.location = location
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Syncs and watches until cancelled.
    public func run() async {
        var machine = ReflectorMachine(backoff: configuration.backoff, watchList: configuration.watchList)
        var action = machine.start()
        var collected: [(key: String, value: Codec.Value)] = []
        var pages = 0
        while !Task.isCancelled {
            switch action {
            case .list(let continueToken):
                if continueToken == nil { collected.removeAll(keepingCapacity: true); pages = 0 }
                do {
                    action = try await listPages(from: continueToken, machine: &machine, collected: &collected, pages: &pages)
                } catch {
                    let error = error as? KubeAPIError ?? .transport(operation: "list", reason: "\(error)")
                    if case .cancelled = error { return }
                    if Task.isCancelled { return }
                    let status: KubeStatus? = if case .status(let status) = error { status } else { nil }
                    logger.warning("failed to list", metadata: ["reflector": "\(name)", "error": "\(error)"])
                    onEvent(.relisting(reason: status.map { "\($0.code)" } ?? "error"))
                    action = machine.listFailed(status, now: .now, jitter: .random(in: 0..<1))
                }
            case .watchList:
                let timeout = Int.random(in: configuration.watchTimeoutSeconds)
                let (outcome, progress) = await watch(client.watchList(location, as: Codec.self, timeoutSeconds: timeout),
                                                      streamsInitialEvents: true)
                if let end = progress.initialEventsEnd { machine.initialEventsEnded(resourceVersion: end) }
                machine.eventReceived(resourceVersion: progress.resourceVersion)
                let before = machine.watchListSupport
                action = afterWatch(outcome, machine: &machine)
                if case .unsupported(let reason) = machine.watchListSupport, before != machine.watchListSupport {
                    logger.warning("the API server does not stream initial state (watch-list); listing instead",
                                   metadata: ["reflector": "\(name)", "reason": "\(reason)"])
                    onEvent(.watchListUnsupported(reason: reason))
                }
            case .watch(let resourceVersion):
                let timeout = Int.random(in: configuration.watchTimeoutSeconds)
                let (outcome, progress) = await watch(client.watch(location, as: Codec.self, from: resourceVersion,
                                                                   timeoutSeconds: timeout), streamsInitialEvents: false)
                machine.eventReceived(resourceVersion: progress.resourceVersion)
                action = afterWatch(outcome, machine: &machine)
            case .sleep(let until):
                do { try await Task.sleep(until: until, clock: .continuous) } catch { return }
                action = machine.wokeUp()
            }
        }
    }

    /// Tells the machine how a watch (or watch-list) ended; logs and reports it.
    private func afterWatch(_ outcome: WatchOutcome, machine: inout ReflectorMachine) -> ReflectorMachine.Action {
        switch outcome {
        case .ended:
            onEvent(.watchRestarted(reason: "ended"))
            return machine.watchEnded()
        case .expired:
            logger.info("watch expired (410); syncing again", metadata: ["reflector": "\(name)"])
            onEvent(.relisting(reason: "410"))
            return machine.watchExpired(now: .now, jitter: .random(in: 0..<1))
        case .inactive:
            logger.warning("watch silent too long; reconnecting", metadata: ["reflector": "\(name)"])
            onEvent(.watchRestarted(reason: "inactive"))
            return machine.watchFailed(nil, now: .now, jitter: .random(in: 0..<1))
        case .failed(let status, let description):
            // A watch cut by our own cancellation is no failure to report (the run loop ends next).
            if !Task.isCancelled {
                logger.warning("watch failed; reconnecting", metadata: ["reflector": "\(name)", "error": "\(description)"])
                onEvent(.watchRestarted(reason: status.map { "\($0.code)" } ?? "error"))
            }
            return machine.watchFailed(status, now: .now, jitter: .random(in: 0..<1))
        case .initialEventsIgnored(let reason):
            return machine.watchListIgnored(reason: reason)
        }
    }

    /// Lists from `continueToken` while the machine asks for the next page; returns the machine's next
    /// action once it asks for something else (the watch, after the last page replaced the store).
    ///
    /// The next page is requested while the current one is decoded (transfer and decoding overlap: a
    /// 5,000-node list is ten round trips). That request is an `async let`, a child of the reflector's
    /// task: cancelling the reflector cancels it at once, so shutdown never waits for a list's
    /// 60-second timeout (issue 13), and leaving this scope for any reason cancels it too.
    private func listPages(from continueToken: String?, machine: inout ReflectorMachine,
                           collected: inout [(key: String, value: Codec.Value)], pages: inout Int) async throws -> ReflectorMachine.Action {
        var body = try await client.listBody(location, limit: configuration.pageSize, continueToken: continueToken)
        while true {
            let next = ListPage<Codec.Value>.continueToken(of: body)
            async let ahead = Self.page(client, location, limit: configuration.pageSize, continueToken: next)
            let page = try ListPage.decode(body, as: Codec.self)
            pages += 1
            collected.append(contentsOf: page.items.map { ($0.key, $0.value) })
            let action = machine.listPageArrived(continueToken: page.continueToken, resourceVersion: page.resourceVersion)
            if page.continueToken == nil {
                store.replace(with: collected)
                onEvent(.listed(items: collected.count, pages: pages))
                logger.debug("listed", metadata: ["reflector": "\(name)", "items": "\(collected.count)", "pages": "\(pages)"])
                collected = []
                return action
            }
            guard case .list(let wanted?) = action, wanted == next, let fetched = try await ahead else { return action }
            body = fetched
        }
    }

    /// The raw page after `continueToken`; `nil` when there is none.
    private static func page(_ client: KubeClient, _ location: ResourceLocation, limit: Int,
                             continueToken: String?) async throws(KubeAPIError) -> [UInt8]? {
        guard let continueToken else { return nil }
        return try await client.listBody(location, limit: limit, continueToken: continueToken)
    }

    /// Applies one watch to the store until it ends; returns why, with the last resourceVersion seen.
    ///
    /// With `streamsInitialEvents` (a watch-list) the ADDED events up to the initial-events-end
    /// bookmark are collected, not applied: at the bookmark they replace the store in one step, as a
    /// list does (objects missing from them are deletions), and the events after it are applied one
    /// by one. Their resourceVersions are not a resume point (kube-apiserver sends them in key order,
    /// watch/nodes-watch-initial-events.json); the bookmark's is.
    private func watch(_ events: AsyncThrowingStream<WatchEvent<Codec.Value>, any Error>,
                       streamsInitialEvents: Bool) async -> (WatchOutcome, WatchProgress.Snapshot) {
        let progress = WatchProgress(collecting: streamsInitialEvents)
        let store = self.store
        let onEvent = self.onEvent
        let limit = configuration.initialEventsLimit
        let outcome = await withTaskGroup(of: WatchOutcome?.self) { group in
            group.addTask {
                var initial: [(key: String, value: Codec.Value)] = []
                var collecting = streamsInitialEvents
                do {
                    for try await event in events {
                        if collecting {
                            switch event {
                            case .added(let object):
                                guard initial.count < limit else {
                                    return .initialEventsIgnored("more than \(limit) events without the initial-events-end bookmark")
                                }
                                initial.append((object.key, object.value))
                                progress.record(nil)
                                continue
                            case .bookmark(let resourceVersion, initialEventsEnd: true):
                                // Without a version to resume from, the next watch would start "from now"
                                // and miss what happens in between: not a sync.
                                guard !resourceVersion.isEmpty else {
                                    return .failed(nil, "the initial-events-end bookmark carries no resourceVersion")
                                }
                                store.replace(with: initial)
                                onEvent(.streamed(items: initial.count))
                                initial = []
                                collecting = false
                                progress.initialEventsEnded(at: resourceVersion)
                                continue
                            case .modified, .deleted, .bookmark:
                                return .initialEventsIgnored("\(event.typeName) before the initial-events-end bookmark")
                            case .error: break
                            }
                        }
                        switch event {
                        case .added(let object), .modified(let object): store.upsert(key: object.key, value: object.value)
                        case .deleted(let object): store.remove(key: object.key)
                        case .bookmark: break
                        case .error(let status): return status.isGone ? .expired : .failed(status, "\(status)")
                        }
                        progress.record(event.resourceVersion)
                    }
                    return .ended
                } catch let error as KubeAPIError {
                    if case .status(let status) = error { return status.isGone ? .expired : .failed(status, "\(error)") }
                    return .failed(nil, "\(error)")
                } catch {
                    return .failed(nil, "\(error)")
                }
            }
            group.addTask { [configuration] in
                while true {
                    do { try await Task.sleep(for: configuration.inactivityCheckInterval) } catch { return nil }
                    let (lastEventAt, collecting) = progress.silence
                    let silent = ContinuousClock.now - lastEventAt
                    if collecting, silent > configuration.initialEventsSilenceLimit {
                        return .initialEventsIgnored("no initial-events-end bookmark after \(configuration.initialEventsSilenceLimit) of silence")
                    }
                    if silent > configuration.inactivityLimit { return .inactive }
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failed(nil, "cancelled")
        }
        return (outcome, progress.snapshot)
    }
}

/// When the current watch last delivered an event, the last resourceVersion it carried, and where a
/// watch-list's initial events ended; shared by the task reading the watch and the one checking for
/// silence.
private final class WatchProgress: Sendable {
    /// What the watch reported by the time it ended.
    struct Snapshot {
        /// The last resume point the watch delivered, if any.
        var resourceVersion: String?
        /// The initial-events-end bookmark's version, when a watch-list got that far.
        var initialEventsEnd: String?
    }

    private struct State {
        var at = ContinuousClock.now
        var collecting: Bool
        var snapshot = Snapshot()
    }

    private let state: Mutex<State>

    init(collecting: Bool) { state = Mutex(State(collecting: collecting)) }

    func record(_ resourceVersion: String?) {
        state.withLock { $0.at = .now; if let resourceVersion { $0.snapshot.resourceVersion = resourceVersion } }
    }

    func initialEventsEnded(at resourceVersion: String) {
        state.withLock {
            $0.at = .now
            $0.collecting = false
            $0.snapshot.initialEventsEnd = resourceVersion
            if !resourceVersion.isEmpty { $0.snapshot.resourceVersion = resourceVersion }
        }
    }

    /// When the last event came, and whether a watch-list is still in its initial events.
    var silence: (ContinuousClock.Instant, Bool) { state.withLock { ($0.at, $0.collecting) } }
    var snapshot: Snapshot { state.withLock { $0.snapshot } }
}
