import FoundationEssentials
import Glibc
import Logging
import Synchronization

/// A bound listening socket and what serves it; shared by the loops that accept on it.
final class ListenerRuntime: Sendable {
    /// Name for logs and metric labels.
    let name: String
    /// The listening descriptor; closed by `close()` or when the last user lets go.
    let descriptor: Int32
    /// The bound port.
    let port: UInt16
    /// The serving certificate; `nil` serves plain HTTP.
    let tls: CertificateStore?
    /// Answers requests.
    let responder: any HTTPResponder
    private let isOpen = Atomic<Bool>(true)
    /// An accept-failure episode is under way: from the first failure on any loop to the next
    /// accept that succeeds on any loop. Logged once when it starts and once when it ends.
    private let inFailureEpisode = Atomic<Bool>(false)

    /// Takes ownership of the listening `descriptor`.
    init(name: String, descriptor: Int32, port: UInt16, tls: CertificateStore?, responder: any HTTPResponder) {
        self.name = name
        self.descriptor = descriptor
        self.port = port
        self.tls = tls
        self.responder = responder
    }

    deinit { close() }

    /// Closes the listening socket once (after every loop stopped watching it).
    func close() {
        guard isOpen.exchange(false, ordering: .acquiringAndReleasing) else { return }
        _ = Glibc.close(descriptor)
    }

    /// An acceptor paused after `accept` failed: the first failure of an episode is logged.
    func acceptFailed(_ error: SocketError, pause: Duration, logger: Logger) {
        guard !inFailureEpisode.exchange(true, ordering: .relaxed) else { return }
        logger.error("failed to accept connections: pausing the listener", metadata: [
            "listener": "\(name)", "error": "\(error)", "accept.backoff": "\(pause)",
        ])
    }

    /// An accept succeeded: ends an episode, if one is under way (a plain load otherwise).
    func accepted(logger: Logger) {
        guard inFailureEpisode.load(ordering: .relaxed), inFailureEpisode.exchange(false, ordering: .relaxed) else { return }
        logger.info("accepting connections again", metadata: ["listener": "\(name)"])
    }
}
