import FoundationEssentials
import Glibc
import NativeThread
import HTTPServerCore
import Synchronization

/// Polls a `CertificateStore` on a thread of its own (file I/O never runs on the concurrency pool).
public final class CertificateWatcher: Sendable {
    private let store: CertificateStore
    private let interval: Duration
    private let onOutcome: @Sendable (CertificateStore.ReloadOutcome) -> Void
    private let stopped = Atomic<Bool>(false)

    /// - Parameters:
    ///   - interval: how often to look; 1 s keeps "new handshakes use a new certificate within 2 s".
    ///   - onOutcome: called on the watcher thread after each reload attempt (not for `.unchanged`).
    public init(store: CertificateStore, interval: Duration = .seconds(1),
                onOutcome: @escaping @Sendable (CertificateStore.ReloadOutcome) -> Void) {
        self.store = store
        self.interval = interval
        self.onOutcome = onOutcome
    }

    /// Starts the polling thread.
    public func start() {
        let body: @Sendable () -> Void = { [self] in
            let sleepMicroseconds = UInt32(clamping: interval.components.seconds * 1_000_000
                + interval.components.attoseconds / 1_000_000_000_000)
            while !stopped.load(ordering: .relaxed) {
                usleep(sleepMicroseconds)
                if stopped.load(ordering: .relaxed) { break }
                let outcome = store.reloadIfChanged()
                if case .unchanged = outcome { continue }
                onOutcome(outcome)
            }
        }
        NativeThread.detachOrReport(name: "troxileia-cert-watcher", body)
    }

    /// Stops polling (within one interval).
    public func stop() { stopped.store(true, ordering: .relaxed) }
}
