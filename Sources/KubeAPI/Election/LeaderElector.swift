import FoundationEssentials
import Logging
import Synchronization
import TroxileiaCore

/// Runs leader election on a Lease: acquire, renew every retry period, observe other holders,
/// release on exit so a successor takes over at once. `isLeader` is exact at the moment it is
/// read (the reconciler checks it immediately before each push).
public final class LeaderElector: Sendable {
    /// A change of who leads, for logs, metrics and the status ConfigMap.
    public struct Change: Sendable, Equatable {
        public var isLeader: Bool
        public var holder: String?
    }

    private let client: KubeClient
    private let path: String
    private let name: String
    private let namespace: String
    private let machine: Mutex<LeaderElectionMachine>
    private let configuration: LeaderElectionMachine.Configuration
    private let logger: Logger
    private let onChange: @Sendable (Change) -> Void

    /// - Throws: `KubeAPIError.configuration` when the timings break client-go's rule.
    public init(client: KubeClient, namespace: String, name: String, configuration: LeaderElectionMachine.Configuration,
                logger: Logger, onChange: @escaping @Sendable (Change) -> Void = { _ in }) throws(KubeAPIError) {
        try configuration.validate()
        self.client = client
        self.namespace = namespace
        self.name = name
        self.path = "/apis/coordination.k8s.io/v1/namespaces/\(KubeClient.escapePathSegment(namespace))/leases"
        self.configuration = configuration
        self.machine = Mutex(LeaderElectionMachine(configuration: configuration))
        self.logger = logger
        self.onChange = onChange
    }

    /// Whether this replica leads right now.
    public var isLeader: Bool { machine.withLock { $0.isLeader(now: .now) } }

    /// The holder last seen.
    public var holder: String? { machine.withLock { $0.holder } }

    /// Tries and renews until cancelled, then releases the lease if held.
    public func run() async {
        var reported = Change(isLeader: false, holder: nil)
        while !Task.isCancelled {
            await attemptOnce()
            let current = Change(isLeader: isLeader, holder: holder)
            if current != reported {
                logger.info(current.isLeader ? "became leader" : "not leader",
                            metadata: ["lease": "\(namespace)/\(name)", "lease.holder": "\(current.holder ?? "none")"])
                onChange(current)
                reported = current
            }
            let pause = current.isLeader ? configuration.retryPeriod : configuration.retryPeriod * (1 + Double.random(in: 0..<0.2))
            do { try await Task.sleep(for: pause) } catch { break }
        }
        // The loop ends by cancellation; the release must still reach the server, so it runs in
        // a task of its own that does not inherit the cancellation.
        await Task { await self.release() }.value
        if reported.isLeader { onChange(Change(isLeader: false, holder: nil)) }
    }

    private func attemptOnce() async {
        do {
            let current: LeaseRecord?
            do {
                current = LeaseRecord.decodeOrNil(try await client.send(KubeRequest(path: "\(path)/\(name)", timeout: configuration.retryPeriod * 2)).body)
            } catch .status(let status) where status.isNotFound {
                current = nil
            }
            let attempt = machine.withLock { $0.attempt(current: current, now: .now, wall: .wallNow) }
            let written: LeaseRecord
            switch attempt {
            case .holdOff:
                return
            case .create(let record):
                written = try await write(record, method: .post, path: path)
            case .update(let record):
                written = try await write(record, method: .put, path: "\(path)/\(name)")
            }
            machine.withLock { $0.wrote(written, now: .now) }
        } catch {
            // Conflicts are normal (another replica wrote first); anything else is worth a line.
            if case .status(let status) = error, status.isConflict || status.isAlreadyExists { return }
            if case .cancelled = error { return }
            logger.warning("failed to acquire or renew the lease", metadata: ["lease": "\(namespace)/\(name)", "error": "\(error)"])
        }
    }

    private func write(_ record: LeaseRecord, method: KubeRequest.Method, path: String) async throws(KubeAPIError) -> LeaseRecord {
        let request = KubeRequest(method: method, path: path, contentType: "application/json",
                                  body: record.encoded(name: name, namespace: namespace), timeout: configuration.retryPeriod * 2)
        return try LeaseRecord.decode(try await client.send(request).body)
    }

    /// Gives the lease up (best effort, bounded by the retry period): the next candidate need
    /// not wait out the lease duration.
    private func release() async {
        guard let record = machine.withLock({ $0.release(wall: .wallNow) }) else { return }
        do {
            _ = try await write(record, method: .put, path: "\(path)/\(name)")
            logger.info("released the lease", metadata: ["lease": "\(namespace)/\(name)"])
        } catch .status(let status) where status.isForbidden || status.isUnauthorized || status.isNotFound {
            // `helm uninstall` deletes the Role, the ServiceAccount (then its token is refused) or the
            // whole namespace in the same pass as the Deployment, so a terminating replica may no
            // longer write the Lease, or find it gone.
            // Nothing is wrong then: the Lease expires by itself after its duration and no successor
            // is waiting for it, so this is said once, not as a failure.
            logger.info("lease not released: no permission or credential to write it, or it is gone (uninstalled?); it expires by itself",
                        metadata: ["lease": "\(namespace)/\(name)", "status": "\(status.code) \(status.reason)"])
        } catch {
            logger.warning("failed to release the lease", metadata: ["lease": "\(namespace)/\(name)", "error": "\(error)"])
        }
        machine.withLock { $0.stoppedLeading() }
    }
}

extension LeaseRecord {
    /// A Lease body, or `nil` when it does not decode (treated like "no lease": create fails with AlreadyExists).
    static func decodeOrNil(_ body: [UInt8]) -> LeaseRecord? { try? decode(body) }
}
