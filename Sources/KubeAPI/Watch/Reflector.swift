import Logging
import Synchronization
import TroxileiaCore

/// Keeps an `ObjectStore` equal to the API's view of one kind: list, then watch, forever, as
/// `ReflectorMachine` decides. Runs until its task is cancelled.
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

        public init() {}
    }

    /// What the reflector did, for metrics and logs.
    public enum Event: Sendable, Equatable {
        /// A full list was applied.
        case listed(items: Int, pages: Int)
        /// A list started again after a 410 or a failure.
        case relisting(reason: String)
        /// A watch ended and was reopened.
        case watchRestarted(reason: String)
    }

    private enum WatchOutcome: Sendable {
        case ended, expired, inactive
        case failed(KubeStatus?, String)
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

    /// Lists and watches until cancelled.
    public func run() async {
        var machine = ReflectorMachine(backoff: configuration.backoff)
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
            case .watch(let resourceVersion):
                let (outcome, lastVersion) = await watch(from: resourceVersion)
                machine.eventReceived(resourceVersion: lastVersion)
                switch outcome {
                case .ended:
                    onEvent(.watchRestarted(reason: "ended"))
                    action = machine.watchEnded()
                case .expired:
                    logger.info("watch expired (410); listing again", metadata: ["reflector": "\(name)"])
                    onEvent(.relisting(reason: "410"))
                    action = machine.watchExpired()
                case .inactive:
                    logger.warning("watch silent too long; reconnecting", metadata: ["reflector": "\(name)"])
                    onEvent(.watchRestarted(reason: "inactive"))
                    action = machine.watchFailed(nil, now: .now, jitter: .random(in: 0..<1))
                case .failed(let status, let description):
                    if Task.isCancelled { return }
                    logger.warning("watch failed; reconnecting", metadata: ["reflector": "\(name)", "error": "\(description)"])
                    onEvent(.watchRestarted(reason: status.map { "\($0.code)" } ?? "error"))
                    action = machine.watchFailed(status, now: .now, jitter: .random(in: 0..<1))
                }
            case .sleep(let until):
                do { try await Task.sleep(until: until, clock: .continuous) } catch { return }
                action = machine.wokeUp()
            }
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

    /// Applies one watch to the store until it ends; returns why, and the last resourceVersion seen.
    private func watch(from resourceVersion: String) async -> (WatchOutcome, String?) {
        let timeout = Int.random(in: configuration.watchTimeoutSeconds)
        let events = client.watch(location, as: Codec.self, from: resourceVersion, timeoutSeconds: timeout)
        let lastEvent = WatchProgress()
        let store = self.store
        let outcome = await withTaskGroup(of: WatchOutcome?.self) { group in
            group.addTask {
                do {
                    for try await event in events {
                        switch event {
                        case .added(let object), .modified(let object): store.upsert(key: object.key, value: object.value)
                        case .deleted(let object): store.remove(key: object.key)
                        case .bookmark: break
                        case .error(let status): return status.isGone ? .expired : .failed(status, "\(status)")
                        }
                        lastEvent.record(event.resourceVersion)
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
                    if ContinuousClock.now - lastEvent.lastEventAt > configuration.inactivityLimit { return .inactive }
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failed(nil, "cancelled")
        }
        return (outcome, lastEvent.resourceVersion)
    }
}

/// When the current watch last delivered an event, and the last resourceVersion it carried;
/// shared by the task reading the watch and the one checking for silence.
private final class WatchProgress: Sendable {
    private let state = Mutex<(at: ContinuousClock.Instant, version: String?)>((.now, nil))

    func record(_ resourceVersion: String?) { state.withLock { $0 = (.now, resourceVersion ?? $0.version) } }
    var lastEventAt: ContinuousClock.Instant { state.withLock { $0.at } }
    var resourceVersion: String? { state.withLock { $0.version } }
}
