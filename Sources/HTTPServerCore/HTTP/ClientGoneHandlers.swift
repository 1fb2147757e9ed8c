import Synchronization

/// Handlers to run once when a client disconnects: registered by a producer (a watch, a pending
/// admission call) so it can stop; a handler added after the disconnect runs at once.
final class ClientGoneHandlers: Sendable {
    private let handlers = Mutex<[@Sendable () -> Void]?>([])

    func add(_ handler: @escaping @Sendable () -> Void) {
        let runNow = handlers.withLock { handlers -> Bool in
            guard handlers != nil else { return true }
            handlers?.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Runs every handler once; later `add`s run at once.
    func fire() {
        let pending = handlers.withLock { handlers -> [@Sendable () -> Void] in
            defer { handlers = nil }
            return handlers ?? []
        }
        for handler in pending { handler() }
    }
}
