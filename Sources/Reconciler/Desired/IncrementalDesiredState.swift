import TroxileiaCore

/// `DesiredState` kept up to date by deltas (issue 18): a node added, changed or removed costs the
/// work on that node and on the other holders of its old and new port; the pod-health verdict is
/// re-evaluated only when the pods, a node's timeout annotation or the clock (`evaluateHealth`) call
/// for it. The per-node standings, the left-out counts and the desired ports are what
/// `DesiredState(snapshot:pods:defaultPodTimeout:now:)` computes from the same inputs — that full
/// recompute stays the reference, and a property test holds the two equal after random event
/// sequences (`IncrementalDesiredStateTests`).
///
/// A value: pure, no I/O; the caller passes the wall clock in.
public struct IncrementalDesiredState: Sendable {
    /// What one `apply` changed.
    public struct Update: Sendable {
        /// One node whose standing changed; `nil` on a side means absent.
        public struct Standing: Sendable {
            public let name: String
            public let before: DesiredState.Node?
            public let after: DesiredState.Node?
        }

        /// Nodes whose standing changed, sorted by name: what `NodeEvent.transitions` looks at.
        public internal(set) var standings: [Standing] = []
        /// Ports that entered the desired set, sorted.
        public internal(set) var addedPorts: [TapPort] = []
        /// Ports that left it, sorted.
        public internal(set) var removedPorts: [TapPort] = []
        /// The pod-health verdict was evaluated again, so `nextCheck` may have moved.
        public internal(set) var healthEvaluated = false
        /// The state held no node before: every node is new, `standings` is left empty (listing
        /// tens of thousands of them would only raise the first sync's memory peak), and each node's
        /// standing is as `standing(of:)` tells, against none before.
        public internal(set) var isInitialLoad = false

        /// The desired ports differ from before the update.
        public var portsChanged: Bool { !addedPorts.isEmpty || !removedPorts.isEmpty }
    }

    /// What one node's record says beyond its labels: its uid and its annotations, parsed once.
    struct NodeExtras: Sendable {
        let uid: String
        let overrides: NodeOverrides
    }

    /// `--pod-not-ready-timeout`, replaced per node by its annotation.
    public let defaultPodTimeout: Duration
    /// The sensor set by delta, fed with the facts the node store parsed.
    var sensors: IncrementalSensorSet
    var extras: [String: NodeExtras] = [:]
    /// Per-node timeouts from annotations (the pod-health rule's input).
    var timeouts: [String: Duration] = [:]
    /// The sensor pods as last given.
    var pods: [PodRecord] = []
    /// The pod-health verdict as last evaluated.
    public internal(set) var podHealth = PodHealth.allHealthy
    /// Would-be sensors left out by reason (`DesiredState.leftOutCounts`), kept by the standings' changes.
    public internal(set) var leftOutCounts = Dictionary(uniqueKeysWithValues: DesiredState.leftOutReasons.map { ($0, 0) })
    /// Nodes the reconciler leaves out (annotation or pod health): the excluded-nodes metric.
    public internal(set) var excludedCount = 0

    /// No nodes, no pods, labels parsed under `keys`.
    public init(keys: LabelKeys, defaultPodTimeout: Duration) {
        sensors = IncrementalSensorSet(keys: keys)
        self.defaultPodTimeout = defaultPodTimeout
    }

    /// The desired ports, sorted and unique (O(ports · log ports): for a push, a log line or a test).
    public var ports: [TapPort] { sensors.ports }
    /// How many ports are desired, O(1).
    public var portCount: Int { sensors.owners.count }
    /// When the pod-health verdict can change without a new event (`PodHealth.nextChange`).
    public var nextCheck: KubeTime? { podHealth.nextChange }

    /// Names of the nodes labelled with `port`, sorted.
    public func holders(of port: TapPort) -> [String] { sensors.holders(of: port) }

    /// Applies the node store's `changes` and, when given, the whole new list of sensor `pods`.
    /// The pod-health verdict is evaluated at `now` when `pods` is given, a node's timeout annotation
    /// changed, or `evaluateHealth` (its `nextCheck` passed); otherwise it is kept.
    public mutating func apply(_ changes: NodeChanges, pods newPods: [PodRecord]?, evaluateHealth: Bool,
                               now: KubeTime) -> Update {
        var batch = Batch()
        batch.tracks = !(changes.isComplete && sensors.count == 0)
        if changes.isComplete {
            let present = Set(changes.upserted.map(\.record.name))
            let gone = sensors.facts.keys.filter { !present.contains($0) }
            for name in gone { remove(name, &batch) }
        }
        for entry in changes.upserted { upsert(entry, &batch) }
        for name in changes.removed { remove(name, &batch) }
        if let newPods { pods = newPods }
        if newPods != nil || evaluateHealth || batch.timeoutsChanged { evaluatePodHealth(now: now, &batch) }
        return finish(batch)
    }

    /// What an `apply` touched so far.
    struct Batch {
        /// Nodes whose standing may have changed, with their standing before the batch touched them
        /// (taken at first touch, before any change that could move it: standings are not stored).
        var touched: [String: DesiredState.Node?] = [:]
        /// Whether each port that may have entered or left the set was desired before the batch.
        var portsBefore: [TapPort: Bool] = [:]
        var timeoutsChanged = false
        var healthEvaluated = false
        /// Whether touches are recorded; off for an initial load, where nothing stood before.
        var tracks = true
    }

    private mutating func upsert(_ entry: NodeEntry, _ batch: inout Batch) {
        let name = entry.record.name
        let overrides = NodeOverrides(annotations: entry.record.annotations)
        touchPort(sensors.facts[name]?.port, &batch)
        touchPort(entry.facts.port, &batch)
        touch(name, &batch)
        if extras[name]?.overrides.podNotReadyTimeout != overrides.podNotReadyTimeout {
            timeouts[name] = overrides.podNotReadyTimeout
            batch.timeoutsChanged = true
        }
        extras[name] = NodeExtras(uid: entry.record.uid, overrides: overrides)
        sensors.upsert(entry.facts)
        sensors.setExcluded(name, overrides.excluded || podHealth.failingPods[name] != nil)
    }

    private mutating func remove(_ name: String, _ batch: inout Batch) {
        guard let old = sensors.facts[name] else { return }
        touchPort(old.port, &batch)
        touch(name, &batch)
        if timeouts.removeValue(forKey: name) != nil { batch.timeoutsChanged = true }
        extras[name] = nil
        sensors.remove(node: name)
        sensors.setExcluded(name, false)
    }

    /// Notes `port`'s place in the desired set before the batch changes it, and its holders as touched.
    private func touchPort(_ port: TapPort?, _ batch: inout Batch) {
        guard batch.tracks, let port else { return }
        if batch.portsBefore[port] == nil { batch.portsBefore[port] = sensors.owners[port] != nil }
        for holder in sensors.holders(of: port) { touch(holder, &batch) }
    }

    /// Notes `name` as touched, with its standing now if this is the first touch.
    private func touch(_ name: String, _ batch: inout Batch) {
        guard batch.tracks else { return }
        if batch.touched.index(forKey: name) == nil { batch.touched[name] = .some(standing(of: name)) }
    }

    private mutating func evaluatePodHealth(now: KubeTime, _ batch: inout Batch) {
        let health = PodHealthRule(defaultTimeout: defaultPodTimeout).evaluate(pods: pods, timeouts: timeouts, now: now)
        let changed = Set(podHealth.failingPods.keys).union(health.failingPods.keys)
            .filter { podHealth.failingPods[$0] != health.failingPods[$0] }
        for name in changed {
            touchPort(sensors.facts[name]?.port, &batch)
            touch(name, &batch)
        }
        podHealth = health
        for name in changed {
            sensors.setExcluded(name, (extras[name]?.overrides.excluded ?? false) || health.failingPods[name] != nil)
        }
        batch.healthEvaluated = true
    }

    private mutating func finish(_ batch: Batch) -> Update {
        var update = Update()
        update.healthEvaluated = batch.healthEvaluated
        guard batch.tracks else {
            update.isInitialLoad = true
            for name in sensors.facts.keys { count(standing(of: name), 1) }
            update.addedPorts = sensors.ports
            return update
        }
        for (name, before) in batch.touched.sorted(by: { $0.key < $1.key }) {
            let after = standing(of: name)
            guard before != after else { continue }
            count(before, -1)
            count(after, 1)
            update.standings.append(Update.Standing(name: name, before: before, after: after))
        }
        for (port, wasDesired) in batch.portsBefore {
            let isDesired = sensors.owners[port] != nil
            if isDesired, !wasDesired { update.addedPorts.append(port) }
            if wasDesired, !isDesired { update.removedPorts.append(port) }
        }
        update.addedPorts.sort()
        update.removedPorts.sort()
        return update
    }

    private mutating func count(_ node: DesiredState.Node?, _ step: Int) {
        guard let node else { return }
        if let reason = node.leftOutCategory { leftOutCounts[reason, default: 0] += step }
        if !node.exclusions.isEmpty { excludedCount += step }
    }
}
