import TroxileiaCore

/// client-go's leader election as a state machine: what to write to the Lease, and whether we
/// lead, given what was read and the clocks passed in.
///
/// Expiry is judged on the local monotonic clock from when a holder's record was last seen to
/// change (not from its `renewTime`, which another machine's clock wrote), so clock skew between
/// replicas cannot make two leaders. Leadership counts only until `renewDeadline` after our last
/// successful write: a leader that cannot renew stops leading before anyone else may take over
/// (`leaseDuration` > `renewDeadline`).
public struct LeaderElectionMachine: Sendable {
    /// Timing; defaults are client-go's.
    public struct Configuration: Sendable, Equatable {
        /// This replica's identity (the pod name).
        public var identity: String
        /// How long a lease is respected after it was last seen renewed (`--lease-duration`, 15 s).
        public var leaseDuration: Duration = .seconds(15)
        /// A leader that has not renewed for this long stops leading (`--lease-renew-deadline`, 10 s).
        public var renewDeadline: Duration = .seconds(10)
        /// Interval between attempts (`--lease-retry-period`, 2 s).
        public var retryPeriod: Duration = .seconds(2)

        public init(identity: String) { self.identity = identity }

        /// client-go's rule: leaseDuration > renewDeadline > 1.2 × retryPeriod.
        public func validate() throws(KubeAPIError) {
            guard !identity.isEmpty else {
                throw .configuration(file: nil, field: "identity", problem: "the leader election identity is empty")
            }
            guard leaseDuration > renewDeadline else {
                throw .configuration(file: nil, field: "--lease-duration", problem: "must be longer than --lease-renew-deadline")
            }
            guard renewDeadline > retryPeriod * 1.2 else {
                throw .configuration(file: nil, field: "--lease-renew-deadline", problem: "must be longer than 1.2 × --lease-retry-period")
            }
        }
    }

    /// What to do with the Lease now.
    public enum Attempt: Sendable, Equatable {
        /// No Lease exists: create this one.
        case create(LeaseRecord)
        /// Write this one (acquire or renew) at its resourceVersion.
        case update(LeaseRecord)
        /// Someone else holds a live lease.
        case holdOff(holder: String)
    }

    public let configuration: Configuration
    private var observed: LeaseRecord?
    private var observedAt: ContinuousClock.Instant?
    private var lastRenewal: ContinuousClock.Instant?

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Decides what to write given the Lease as just read (`nil`: none exists).
    public mutating func attempt(current: LeaseRecord?, now: ContinuousClock.Instant, wall: KubeTime) -> Attempt {
        let seconds = Int(configuration.leaseDuration.components.seconds)
        guard let current else {
            return .create(LeaseRecord(holderIdentity: configuration.identity, leaseDurationSeconds: seconds,
                                       acquireTime: wall, renewTime: wall))
        }
        if current != observed {
            observed = current
            observedAt = now
        }
        let holder = current.holderIdentity ?? ""
        if !holder.isEmpty, holder != configuration.identity, let observedAt, now - observedAt < configuration.leaseDuration {
            return .holdOff(holder: holder)
        }
        var next = LeaseRecord(holderIdentity: configuration.identity, leaseDurationSeconds: seconds, acquireTime: wall,
                               renewTime: wall, leaseTransitions: current.leaseTransitions, resourceVersion: current.resourceVersion)
        if holder == configuration.identity {
            next.acquireTime = current.acquireTime ?? wall
        } else {
            next.leaseTransitions += 1
        }
        return .update(next)
    }

    /// Our write of `record` succeeded (the server's answer, with its new resourceVersion).
    public mutating func wrote(_ record: LeaseRecord, now: ContinuousClock.Instant) {
        observed = record
        observedAt = now
        lastRenewal = record.holderIdentity == configuration.identity ? now : nil
    }

    /// Whether we lead at `now`: we hold the lease and renewed it less than `renewDeadline` ago.
    public func isLeader(now: ContinuousClock.Instant) -> Bool {
        guard let lastRenewal, observed?.holderIdentity == configuration.identity else { return false }
        return now - lastRenewal < configuration.renewDeadline
    }

    /// The holder last seen, ours or another's.
    public var holder: String? {
        guard let holder = observed?.holderIdentity, !holder.isEmpty else { return nil }
        return holder
    }

    /// The record that gives the lease up (on shutdown), so a successor takes over at its next
    /// attempt instead of waiting out the lease; `nil` when we do not hold it.
    public func release(wall: KubeTime) -> LeaseRecord? {
        guard let observed, observed.holderIdentity == configuration.identity else { return nil }
        return LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: wall, renewTime: wall,
                           leaseTransitions: observed.leaseTransitions, resourceVersion: observed.resourceVersion)
    }

    /// Forgets our leadership (a release went through, or a renewal failed for good).
    public mutating func stoppedLeading() { lastRenewal = nil }
}
