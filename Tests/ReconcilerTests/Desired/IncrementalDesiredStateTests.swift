import PropertyBased
import Reconciler
import Testing
import TroxileiaCore

/// The incremental desired state against the full recompute it replaces (issue 18): after random
/// sequences of node adds, changes and removals, pod readiness changes and clock ticks, read through
/// the node store's journal (`IndexedNodes`) in random batches, every standing, the desired ports,
/// the counts, the status lines and the Events equal `DesiredState`'s.
@Suite struct IncrementalDesiredStateTests {
    static let t0 = KubeTime(secondsSinceEpoch: 1_795_431_506)
    static let timeout = Duration.seconds(300)

    /// One random step, decoded from one integer so the generator shrinks a failing sequence.
    struct Step {
        static let names = ["a", "b", "c", "d", "e"]
        static let ports: [String?] = [nil, "1_1_x1", "1_1_x2", "bad"]
        static let sensors: [String?] = [nil, "true", "false", "yes"]
        static let excludes: [String?] = [nil, "true", "false", "maybe"]
        static let timeouts: [String?] = [nil, "10s", "1h", "soon"]
        static let readiness: [PodRecord.Readiness?] = [.ready, .notReady, .unknown, nil]
        let code: Int

        /// 0–3 upsert a node, 4 remove one, 5 set a pod, 6 remove a pod, 7 tick, 8–9 recompute.
        var kind: Int { code % 10 }
        private var rest: Int { code / 10 }
        var name: String { Self.names[rest % Self.names.count] }

        func node() -> NodeRecord {
            var digits = rest / Self.names.count
            func pick<T>(_ values: [T]) -> T {
                defer { digits /= values.count }
                return values[digits % values.count]
            }
            var labels = ["kubernetes.io/os": "linux"]
            labels["sensor"] = pick(Self.sensors)
            labels["port"] = pick(Self.ports)
            var annotations: [String: String] = [:]
            annotations[NodeOverrides.Key.exclude] = pick(Self.excludes)
            annotations[NodeOverrides.Key.podNotReadyTimeout] = pick(Self.timeouts)
            return NodeRecord(name: name, uid: "uid-\(name)", labels: labels, annotations: annotations,
                              isTerminating: pick([false, false, true]))
        }

        /// A pod on this step's node (or on no known node), by one of two uids per node.
        func pod(now: KubeTime) -> PodRecord {
            let digits = rest / Self.names.count
            let node = digits % 6 == 5 ? "ghost" : name
            let since = now.adding(seconds: -Double((digits / 6) % 4) * 150)
            return PodRecord(namespace: "sensors", name: "sensor-\(name)-\((digits / 24) % 2)", uid: podUID,
                             nodeName: node, phase: "Running", createdAt: since,
                             ready: Self.readiness[(digits / 48) % Self.readiness.count], readySince: since)
        }

        var podUID: String { "pod-\(name)-\((rest / Self.names.count / 24) % 2)" }
        var tick: Double { [5, 100, 400][(rest / Self.names.count) % 3] }
    }

    /// The reader's side of one run: the incremental state and the last reference it was checked against.
    struct Run {
        var store = IndexedNodes(keys: .default)
        var state = IncrementalDesiredState(keys: .default, defaultPodTimeout: IncrementalDesiredStateTests.timeout)
        var cursor: NodeChanges.Cursor?
        var records: [String: NodeRecord] = [:]
        var pods: [String: PodRecord] = [:]
        var now = IncrementalDesiredStateTests.t0
        var podsChanged = true
        var ticked = false
        var previous: DesiredState?

        /// Applies what changed since the last recompute and checks it against the full recompute.
        mutating func recompute() {
            let changes = store.changes(after: cursor)
            cursor = changes.cursor
            let podList = Array(pods.values)
            let update = state.apply(changes, pods: podsChanged ? podList : nil, evaluateHealth: ticked, now: now)
            podsChanged = false
            ticked = false
            let reference = DesiredState(snapshot: NodeSnapshot(nodes: records.values, keys: .default), pods: podList,
                                         defaultPodTimeout: IncrementalDesiredStateTests.timeout, now: now)
            #expect(state.nodes == reference.nodes)
            #expect(state.ports == reference.ports && state.portCount == reference.ports.count)
            #expect(state.leftOutCounts == reference.leftOutCounts)
            #expect(state.excludedCount == reference.excludedNodes.count)
            #expect(state.exclusionLines == DesiredState.Node.exclusionLines(reference.nodes.values))
            #expect(state.nextCheck == reference.nextCheck)
            let before = Set(previous?.ports ?? [])
            #expect(update.addedPorts == Set(reference.ports).subtracting(before).sorted())
            #expect(update.removedPorts == before.subtracting(reference.ports).sorted())
            // The Events of the changed standings are the full diff's; the first time (or a load into
            // an empty state), every node's against none.
            #expect(!update.isInitialLoad || (previous?.nodes.isEmpty ?? true))
            let events = previous == nil || update.isInitialLoad
                ? state.nodes.keys.sorted().compactMap { state.nodes[$0] }.flatMap { NodeEvent.transitions(of: $0, before: nil) }
                : update.standings.flatMap { standing in
                    standing.after.map { NodeEvent.transitions(of: $0, before: standing.before) } ?? []
                }
            #expect(events == NodeEvent.transitions(from: previous, to: reference))
            previous = reference
        }
    }

    /// With the default journal, and with one so short that the reader often falls behind and gets
    /// every node again (a full reload into a state that already holds nodes).
    @Test(arguments: [16_384, 3])
    func equalsTheFullRecomputeAfterRandomEvents(journalCapacity: Int) async {
        await propertyCheck(count: 1_000, input: Gen.int(in: 0...99_999).array(of: 0...60)) { codes in
            var run = Run(store: IndexedNodes(keys: .default, journalCapacity: journalCapacity))
            for step in codes.map(Step.init) {
                switch step.kind {
                case 0, 1, 2, 3:
                    let node = step.node()
                    run.records[node.name] = node
                    run.store.upsert(node)
                case 4:
                    run.records[step.name] = nil
                    run.store.remove(step.name)
                case 5:
                    run.pods[step.podUID] = step.pod(now: run.now)
                    run.podsChanged = true
                case 6:
                    run.podsChanged = run.pods.removeValue(forKey: step.podUID) != nil || run.podsChanged
                case 7:
                    run.now = run.now.adding(seconds: step.tick)
                    run.ticked = true
                default:
                    run.recompute()
                }
            }
            run.recompute()
        }
    }

    /// A node event touches only that node and the other holders of its ports: a standing elsewhere
    /// is neither recomputed into the update nor reported.
    @Test func aNodeEventReportsOnlyTheStandingsItChanged() throws {
        var store = IndexedNodes(keys: .default)
        var state = IncrementalDesiredState(keys: .default, defaultPodTimeout: Self.timeout)
        for (name, port) in [("a", "1_1_x1"), ("b", "1_1_x2"), ("c", "1_1_x3")] {
            store.upsert(NodeRecord(name: name, labels: ["sensor": "true", "port": port]))
        }
        var changes = store.changes(after: nil)
        _ = state.apply(changes, pods: [], evaluateHealth: false, now: Self.t0)
        store.upsert(NodeRecord(name: "d", labels: ["sensor": "false", "port": "1_1_x1"]))
        changes = store.changes(after: changes.cursor)
        let update = state.apply(changes, pods: nil, evaluateHealth: false, now: Self.t0)
        #expect(update.standings.map(\.name) == ["a", "d"])
        #expect(update.removedPorts == [try TapPort(label: "1_1_x1")] && update.addedPorts.isEmpty)
        #expect(!update.healthEvaluated, "no pod and no timeout changed")
        #expect(state.leftOutCounts["duplicate_port"] == 1)
    }
}
