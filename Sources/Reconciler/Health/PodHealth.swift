import TroxileiaCore

/// The verdict of `PodHealthRule` at one instant: which nodes a sensor pod leaves out, because of
/// which pods, and when the verdict can next change on its own.
///
/// A value: the reconciler recomputes it from the pod store on every change and at `nextChange`,
/// never edits it (issue 6 "Level-based").
public struct PodHealth: Hashable, Sendable {
    /// A sensor pod that has been not Ready for at least its node's timeout.
    public struct FailingPod: Hashable, Sendable {
        /// `metadata.namespace`.
        public let namespace: String
        /// `metadata.name`.
        public let name: String
        /// `metadata.uid`: the identity the rule tracks (a pod recreated under the same name is another pod).
        public let uid: String
        /// The node the pod runs on.
        public let node: String
        /// The `Ready` condition's status (`nil`: the pod has none yet).
        public let readiness: PodRecord.Readiness?
        /// Where the not-Ready time is counted from: the later of creation and the last transition.
        public let notReadySince: KubeTime
        /// How long the pod had been not Ready at the evaluated instant (never negative).
        public let notReadyFor: Duration
        /// The timeout that applied: the node's annotation or `--pod-not-ready-timeout`.
        public let timeout: Duration

        /// Makes a failing pod; the rule is the only producer outside tests.
        public init(namespace: String, name: String, uid: String, node: String, readiness: PodRecord.Readiness?,
                    notReadySince: KubeTime, notReadyFor: Duration, timeout: Duration) {
            self.namespace = namespace
            self.name = name
            self.uid = uid
            self.node = node
            self.readiness = readiness
            self.notReadySince = notReadySince
            self.notReadyFor = notReadyFor
            self.timeout = timeout
        }

        /// For an Event note or a log line: `pod ns/name not Ready for 6m12s (timeout 5m)`; the time
        /// is cut to whole seconds, both durations in DurationText's form (the flags' own notation).
        public var message: String {
            let seconds = max(notReadyFor.components.seconds, 0)
            return "pod \(namespace)/\(name) not Ready for \(DurationText.format(.seconds(seconds)))"
                + " (timeout \(DurationText.format(timeout)))"
        }
    }

    /// Failing pods by node name; each list sorted by namespace, then name. Only nodes with at
    /// least one failing pod are present.
    public let failingPods: [String: [FailingPod]]
    /// The earliest instant after the evaluated one at which a pending timeout expires, so the
    /// verdict changes without any new pod event; `nil` when none is pending. The caller re-checks then.
    public let nextChange: KubeTime?

    /// Makes a verdict; `PodHealthRule.evaluate` is the only producer outside tests.
    public init(failingPods: [String: [FailingPod]], nextChange: KubeTime?) {
        self.failingPods = failingPods
        self.nextChange = nextChange
    }

    /// No node left out and nothing pending: the verdict without sensor pods.
    public static let allHealthy = PodHealth(failingPods: [:], nextChange: nil)

    /// The nodes to leave out of the sensor set.
    public var unhealthyNodes: Set<String> { Set(failingPods.keys) }

    /// The failing pods on `node`, empty when it is healthy.
    public func failingPods(on node: String) -> [FailingPod] { failingPods[node] ?? [] }
}
