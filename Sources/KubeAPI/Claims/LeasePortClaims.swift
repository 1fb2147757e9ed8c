import Logging
import TroxileiaCore

/// Port claims as `coordination.k8s.io/v1` Leases in the release namespace: one Lease per
/// claimed port, named after the port (``leaseName(for:)``), `holderIdentity` = the node, with
/// labels that mark it as Troxileia's claim.
///
/// The API server is the arbiter: a claim is created with POST (409 AlreadyExists when another
/// replica was first), refreshed or taken over with PUT at the resourceVersion read (409 Conflict
/// when another writer got there first), and swept with DELETE carrying the resourceVersion as a
/// precondition, so a claim written meanwhile survives. Thread-safe.
public final class LeasePortClaims: PortClaimStore, Sendable {
    /// Where claims live and how long requests may take.
    public struct Configuration: Sendable {
        /// The release namespace (`--namespace`).
        public var namespace: String
        /// `--reservation-ttl`: written as `leaseDurationSeconds` so a person reading the Lease
        /// sees how long it counts (default 10 s).
        public var ttl: Duration = .seconds(10)
        /// Limit for each request (default 2 s: kube-apiserver gives the whole webhook call 5 s
        /// in the chart, and a claim takes up to three requests).
        public var requestTimeout: Duration = .seconds(2)
        /// Create/read/write rounds before a claim that keeps changing under us is given up as
        /// held by its last holder (default 4; each lost round means another claimant won).
        public var maxRounds = 4

        /// Claims in `namespace`.
        public init(namespace: String) { self.namespace = namespace }
    }

    /// The label every claim carries (value ``claimLabelValue``); the sweep selects by it.
    public static let claimLabel = "troxileia.io/claim"
    /// The value of ``claimLabel`` on port claims.
    public static let claimLabelValue = "port"
    /// The claimed port's label value (`1_1_x1`), for people and `kubectl get -l`.
    public static let portLabel = "troxileia.io/port"

    /// The API client the claims are written through.
    let client: KubeClient
    /// Namespace, TTL, timeouts.
    let configuration: Configuration
    /// `/apis/coordination.k8s.io/v1/namespaces/<namespace>/leases`.
    let collectionPath: String
    /// The time written into claims and compared by the sweep.
    let wallClock: @Sendable () -> KubeTime
    /// For removals that fail in a sweep.
    let logger: Logger

    /// - Parameter wallClock: the time written into claims and compared by the sweep (tests pass a
    ///   fake one; default: the wall clock).
    public init(client: KubeClient, configuration: Configuration, logger: Logger,
                wallClock: @escaping @Sendable () -> KubeTime = { .wallNow }) {
        self.client = client
        self.configuration = configuration
        self.collectionPath = "/apis/coordination.k8s.io/v1/namespaces/\(KubeClient.escapePathSegment(configuration.namespace))/leases"
        self.wallClock = wallClock
        self.logger = logger
    }

    /// The Lease name of `port`'s claim: `troxileia-port-1-1-x1` (a DNS subdomain: `_` is not allowed).
    public static func leaseName(for port: TapPort) -> String {
        "troxileia-port-" + port.labelValue.lowercased().replacing("_", with: "-")
    }

    public func claim(_ port: TapPort, for node: String,
                      judge: @escaping @Sendable (PortClaim) -> PortClaim.Verdict) async -> PortClaimOutcome {
        let name = Self.leaseName(for: port)
        var lastHolder: String?
        do {
            for _ in 0..<max(1, configuration.maxRounds) {
                if try await create(port, name: name, node: node) { return .taken }
                guard let existing = try await read(port, name: name) else { continue }   // swept meanwhile
                lastHolder = existing.claim.holder
                let verdict = judge(existing.claim)
                let transitions: Int
                switch verdict {
                case .held(let holder, let carried): return .held(by: holder, carried: carried)
                case .refresh: transitions = existing.transitions
                case .takeOver: transitions = existing.transitions + 1
                }
                guard try await replace(port, name: name, node: node, version: existing.claim.version,
                                        transitions: transitions) else { continue }
                return verdict == .refresh ? .refreshed : .takenOver(previous: existing.claim.holder)
            }
        } catch {
            return .failed(cause: error.description)
        }
        // Every round lost to another writer: someone else holds it now.
        return .held(by: lastHolder ?? "another node", carried: false)
    }

    /// POSTs the claim; `false` when it already exists.
    private func create(_ port: TapPort, name: String, node: String) async throws(KubeAPIError) -> Bool {
        do {
            _ = try await client.send(write(.post, path: collectionPath,
                                            body: body(port, name: name, node: node, version: nil, transitions: 0)))
            return true
        } catch .status(let status) where status.isAlreadyExists {
            return false
        }
    }

    /// The stored claim and its transition count, or `nil` when it is gone.
    private func read(_ port: TapPort, name: String) async throws(KubeAPIError) -> (claim: PortClaim, transitions: Int)? {
        let record: LeaseRecord
        do {
            let request = KubeRequest(path: "\(collectionPath)/\(KubeClient.escapePathSegment(name))",
                                      timeout: configuration.requestTimeout)
            record = try LeaseRecord.decode(try await client.send(request).body)
        } catch .status(let status) where status.isNotFound {
            return nil
        }
        let claim = PortClaim(port: port, holder: record.holderIdentity ?? "", takenAt: record.renewTime ?? record.acquireTime,
                              version: record.resourceVersion)
        return (claim, record.leaseTransitions)
    }

    /// PUTs the claim at `version`; `false` when another writer changed or removed it first.
    private func replace(_ port: TapPort, name: String, node: String, version: String,
                         transitions: Int) async throws(KubeAPIError) -> Bool {
        do {
            _ = try await client.send(write(.put, path: "\(collectionPath)/\(KubeClient.escapePathSegment(name))",
                                            body: body(port, name: name, node: node, version: version, transitions: transitions)))
            return true
        } catch .status(let status) where status.isConflict || status.isNotFound {
            return false
        }
    }

    /// A JSON write request bounded by the request timeout.
    func write(_ method: KubeRequest.Method, path: String, body: [UInt8]) -> KubeRequest {
        KubeRequest(method: method, path: path, contentType: "application/json", body: body, timeout: configuration.requestTimeout)
    }

    /// The Lease object of a claim; `version` for a PUT.
    func body(_ port: TapPort, name: String, node: String, version: String?, transitions: Int) -> [UInt8] {
        let now = wallClock()
        var json = JSONWriter()
        json.raw(#"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"#)
        json.field("name", name)
        json.raw(",")
        json.field("namespace", configuration.namespace)
        if let version {
            json.raw(",")
            json.field("resourceVersion", version)
        }
        json.raw(#","labels":{"#)
        json.field("app.kubernetes.io/managed-by", "troxileia")
        json.raw(",")
        json.field(Self.claimLabel, Self.claimLabelValue)
        json.raw(",")
        json.field(Self.portLabel, port.labelValue)
        json.raw(#"}},"spec":{"#)
        json.field("holderIdentity", node)
        let seconds = max(1, Int(configuration.ttl.components.seconds))
        json.raw(#","leaseDurationSeconds":\#(seconds),"#)
        json.field("acquireTime", now.microTime)
        json.raw(",")
        json.field("renewTime", now.microTime)
        json.raw(#","leaseTransitions":\#(transitions)}}"#)
        return json.bytes
    }
}
