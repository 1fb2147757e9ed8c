/// A claim on one tap port, as stored in the API server (one `coordination.k8s.io/v1` Lease per
/// claimed port): which node it was taken for, when, and the version to change it at.
///
/// A claim bridges the moment between admitting a port label and every webhook replica's node
/// list showing it; after that the Node objects are the record and the claim is swept.
public struct PortClaim: Sendable, Hashable {
    /// The claimed port.
    public var port: TapPort
    /// The node the claim was taken for (the Lease's `holderIdentity`).
    public var holder: String
    /// When the claim was last taken or refreshed (the Lease's `renewTime`, else `acquireTime`);
    /// `nil` when the object carries neither, which counts as stale.
    public var takenAt: KubeTime?
    /// The object's resourceVersion: a takeover or a sweep carries it, so two writers cannot both win.
    public var version: String

    /// A claim on `port` for `holder`, taken at `takenAt`, stored at `version`.
    public init(port: TapPort, holder: String, takenAt: KubeTime?, version: String) {
        self.port = port
        self.holder = holder
        self.takenAt = takenAt
        self.version = version
    }

    /// Whether the claim is older than `ttl` at `now` (a claim without a time is).
    public func isOlder(than ttl: Duration, at now: KubeTime) -> Bool { Self.isOlder(takenAt, than: ttl, at: now) }

    /// Whether a claim taken at `takenAt` is older than `ttl` at `now` (`nil`: it is).
    public static func isOlder(_ takenAt: KubeTime?, than ttl: Duration, at now: KubeTime) -> Bool {
        guard let takenAt else { return true }
        return now.secondsSinceEpoch - takenAt.secondsSinceEpoch >= ttl.secondsValue
    }

    /// What to do with `existing`, found when `claimant` asks for its port.
    ///
    /// - The claimant's own claim is refreshed (written again at its version), so the sweep cannot
    ///   remove it while this request's write is on its way.
    /// - A holder that still carries the port in `index` keeps it: denied, naming the holder.
    /// - A claim younger than `ttl` keeps its port too: its label change may still be on its way.
    /// - An older claim whose node does not carry the port (the label was changed back, the write
    ///   failed after admission, the node is gone) is stale and may be taken over.
    public static func judge(_ existing: PortClaim, claimant: String, index: some PortHolders, now: KubeTime,
                             ttl: Duration) -> Verdict {
        if existing.holder == claimant { return .refresh }
        if index.holders(of: existing.port).contains(existing.holder) { return .held(by: existing.holder, carried: true) }
        if !existing.isOlder(than: ttl, at: now) { return .held(by: existing.holder, carried: false) }
        return .takeOver
    }

    /// The verdict on an existing claim.
    public enum Verdict: Sendable, Hashable {
        /// The claimant holds it already: write it again at its version.
        case refresh
        /// Another node holds it; `carried` when the node list shows that node with the port.
        case held(by: String, carried: Bool)
        /// Stale: replace it at its version.
        case takeOver
    }
}

/// How claiming a port ended.
public enum PortClaimOutcome: Sendable, Hashable {
    /// No claim existed; one was created.
    case taken
    /// The claimant's own claim was written again.
    case refreshed
    /// A stale claim of `previous` was replaced.
    case takenOver(previous: String)
    /// Another node holds the port; `carried` when the node list shows it with the port.
    case held(by: String, carried: Bool)
    /// The API server could not be asked or refused the write; `cause` says why (no secrets).
    case failed(cause: String)
}

/// Claims on tap ports, shared by every webhook replica (the API server is the arbiter).
///
/// The webhook's admission code depends on this protocol only; KubeAPI implements it over
/// Leases and `troxileia` wires them, as with `NodeInventory`.
public protocol PortClaimStore: Sendable {
    /// Takes the claim on `port` for `node`: creates it if absent (create-if-absent, so two
    /// claimants cannot both create it); otherwise asks `judge` about the existing claim and
    /// refreshes or takes it over with a write carrying its version. A lost race is judged again
    /// against what won, a bounded number of times. Never throws: failures are an outcome.
    func claim(_ port: TapPort, for node: String,
               judge: @escaping @Sendable (PortClaim) -> PortClaim.Verdict) async -> PortClaimOutcome
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
