import TroxileiaCore

/// The sensor set the tap should hold, with every node's standing, computed from whole stores
/// at one instant (issue 6 "Level-based"). The running reconciler keeps the same values by delta
/// (`IncrementalDesiredState`, issue 18); this full computation is the reference a property test holds
/// it equal to, and what `troxileia plan` computes from a one-off read of the cluster.
///
/// excluded = nodes annotated `troxileia.io/exclude: "true"` ∪ nodes a sensor pod leaves out
/// (DESIGN.md "Pod health"); the set is then TroxileiaCore's `SensorSet(snapshot:excluding:)`, which
/// also leaves out invalid labels, terminating nodes and every claimant of a contested port.
/// The per-node standings keep why, so `NodeEvent.transitions(from:to:)` can name it.
public struct DesiredState: Sendable {
    /// One node's standing: whether its port is pushed and, if not, why.
    public struct Node: Hashable, Sendable {
        /// Why the reconciler itself left a node out (as opposed to its labels).
        public enum Exclusion: Hashable, Sendable {
            /// `troxileia.io/exclude: "true"`.
            case annotation
            /// These sensor pods have been not Ready beyond the node's timeout.
            case podHealth([PodHealth.FailingPod])
        }

        /// `metadata.name`.
        public let name: String
        /// `metadata.uid` (empty when the source has none), for the Event's object reference.
        public let uid: String
        /// The node's port label when it is valid, whatever the sensor flag.
        public let port: TapPort?
        /// Whether `port` is in the desired set.
        public let isPushed: Bool
        /// Why a would-be sensor is left out (`SensorSet.Omission`); `nil` when pushed or not a sensor.
        public let omission: SensorSet.Omission?
        /// Why the reconciler left the node out; non-empty only when `omission` is `.excluded`, so a
        /// node that is no sensor anyway is never reported as excluded.
        public let exclusions: [Exclusion]
        /// The node's port is also labelled on other nodes (any sensor flag: the cable is physical,
        /// `PortIndex`), so no claimant is pushed; `nil` when the port is unique or absent.
        public let conflict: PortConflict?
        /// The node's malformed annotations (`NodeOverrides.problems`), ignored with a Warning.
        public let annotationProblems: [String]

        /// The other nodes labelled with this node's port, sorted; empty without a conflict.
        public var otherClaimants: [String] { conflict?.nodes.filter { $0 != name } ?? [] }

        /// Whether a would-be sensor is left out because its port is contested.
        public var isContested: Bool {
            if case .duplicatePort? = omission { return true }
            return false
        }
    }

    /// The desired set, with owners, omissions and conflicts.
    public let sensors: SensorSet
    /// The pod-health verdict the set was computed with.
    public let podHealth: PodHealth
    /// Every node of the snapshot, by name.
    public let nodes: [String: Node]

    /// Computes the state.
    /// - Parameters:
    ///   - snapshot: the node store's snapshot.
    ///   - pods: the sensor pod store's pods (empty when there is no pod watch: `--sensor-apps` empty).
    ///   - defaultPodTimeout: `--pod-not-ready-timeout` (300 s), replaced per node by its annotation.
    ///   - now: the wall clock, compared with the API server's pod timestamps.
    public init(snapshot: NodeSnapshot, pods: some Sequence<PodRecord>, defaultPodTimeout: Duration, now: KubeTime) {
        var overrides: [String: NodeOverrides] = [:]
        var timeouts: [String: Duration] = [:]
        for (name, node) in snapshot.nodes {
            let nodeOverrides = NodeOverrides(annotations: node.annotations)
            overrides[name] = nodeOverrides
            if let timeout = nodeOverrides.podNotReadyTimeout { timeouts[name] = timeout }
        }
        let health = PodHealthRule(defaultTimeout: defaultPodTimeout).evaluate(pods: pods, timeouts: timeouts, now: now)
        let excluded = Set(overrides.filter { $0.value.excluded }.keys).union(health.unhealthyNodes)
        let sensors = SensorSet(snapshot: snapshot, excluding: excluded)
        let omissions = Dictionary(sensors.omitted.map { ($0.node, $0.reason) }, uniquingKeysWith: { first, _ in first })
        let pushed = Set(sensors.owners.values)
        var conflicts: [String: PortConflict] = [:]
        for conflict in sensors.conflicts {
            for node in conflict.nodes { conflicts[node] = conflict }
        }
        var nodes: [String: Node] = [:]
        for (name, record) in snapshot.nodes {
            let nodeOverrides = overrides[name] ?? NodeOverrides(annotations: [:])
            var exclusions: [Node.Exclusion] = []
            if omissions[name] == .excluded {
                if nodeOverrides.excluded { exclusions.append(.annotation) }
                let failing = health.failingPods(on: name)
                if !failing.isEmpty { exclusions.append(.podHealth(failing)) }
            }
            nodes[name] = Node(name: name, uid: record.uid, port: record.sensorLabels(snapshot.keys).validPort,
                               isPushed: pushed.contains(name), omission: omissions[name], exclusions: exclusions,
                               conflict: conflicts[name], annotationProblems: nodeOverrides.problems)
        }
        self.sensors = sensors
        self.podHealth = health
        self.nodes = nodes
    }

    /// The desired ports, sorted and unique: what the tap's GigaStream should hold.
    public var ports: [TapPort] { sensors.ports }

    /// When the pod-health verdict can change without a new event: re-compute then (`PodHealth.nextChange`).
    public var nextCheck: KubeTime? { podHealth.nextChange }

    /// Nodes the reconciler leaves out (annotation or pod health), sorted: the excluded-nodes metric.
    public var excludedNodes: [String] { nodes.values.filter { !$0.exclusions.isEmpty }.map(\.name).sorted() }
}
