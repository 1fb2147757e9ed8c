import Logging
import Synchronization

/// State every loop of one server reads: configuration, the connection budget, the draining flag.
final class ServerShared: Sendable {
    let configuration: HTTPServer.Configuration
    let observer: any HTTPServerObserver
    let logger: Logger
    private let openConnections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)

    init(configuration: HTTPServer.Configuration, observer: any HTTPServerObserver, logger: Logger) {
        self.configuration = configuration
        self.observer = observer
        self.logger = logger
    }

    /// Takes one connection slot; `false` when `maxConnections` are open.
    func reserveConnection() -> Bool {
        var current = openConnections.load(ordering: .relaxed)
        while current < configuration.maxConnections {
            let (exchanged, original) = openConnections.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func releaseConnection() { openConnections.subtract(1, ordering: .relaxed) }

    var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Once set, responses carry `Connection: close` and idle connections are closed.
    var isDraining: Bool { draining.load(ordering: .acquiring) }

    func startDraining() { draining.store(true, ordering: .releasing) }
}
