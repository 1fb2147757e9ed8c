/// What Troxileia keeps of a sensor Pod: where it runs, whether it is Ready and since when.
/// Everything else a Pod carries (containers, volumes, statuses) is never read.
public struct PodRecord: Sendable, Hashable {
    /// The `Ready` condition's status.
    public enum Readiness: String, Sendable {
        case ready = "True"
        case notReady = "False"
        case unknown = "Unknown"
    }

    public var namespace: String
    public var name: String
    /// Pods are tracked by UID: a pod recreated under the same name is another pod.
    public var uid: String
    /// `spec.nodeName`; `nil` while unscheduled.
    public var nodeName: String?
    /// `status.phase`: Pending, Running, Succeeded, Failed, Unknown.
    public var phase: String?
    public var createdAt: KubeTime?
    public var isTerminating: Bool
    /// The `Ready` condition, `nil` when the pod has none yet.
    public var ready: Readiness?
    /// When the `Ready` condition last changed.
    public var readySince: KubeTime?

    public init(namespace: String, name: String, uid: String, nodeName: String? = nil, phase: String? = nil,
                createdAt: KubeTime? = nil, isTerminating: Bool = false, ready: Readiness? = nil, readySince: KubeTime? = nil) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.nodeName = nodeName
        self.phase = phase
        self.createdAt = createdAt
        self.isTerminating = isTerminating
        self.ready = ready
        self.readySince = readySince
    }
}
