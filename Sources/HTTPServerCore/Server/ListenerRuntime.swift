import Foundation
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
    /// Acceptors in an accept-failure episode: the first to enter logs it, the last to leave logs the end.
    private let failingAcceptors = Atomic<Int>(0)

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

    /// An acceptor's accepts started failing: logged once per episode across the loops.
    func episodeStarted(_ error: SocketError, pause: Duration, logger: Logger) {
        guard failingAcceptors.add(1, ordering: .relaxed).oldValue == 0 else { return }
        logger.error("failed to accept connections: pausing the listener", metadata: [
            "listener": "\(name)", "error": "\(error)", "accept.backoff": "\(pause)",
        ])
    }

    /// An acceptor accepted again after failures.
    func episodeEnded(logger: Logger) {
        guard failingAcceptors.subtract(1, ordering: .relaxed).newValue == 0 else { return }
        logger.info("accepting connections again", metadata: ["listener": "\(name)"])
    }
}
