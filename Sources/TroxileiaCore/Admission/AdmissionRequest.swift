/// The facts of one Node CREATE or UPDATE that the admission decision needs, and nothing else.
///
/// The webhook extracts these from an AdmissionReview; tests build them directly.
public struct AdmissionRequest: Hashable, Sendable {
    /// The operations the webhook is registered for.
    public enum Operation: String, Sendable {
        case create = "CREATE"
        case update = "UPDATE"
    }

    /// CREATE or UPDATE.
    public var operation: Operation
    /// The node's name (`request.name`, else `object.metadata.name`).
    public var nodeName: String
    /// The contract labels before the change; `nil` on CREATE (there is no old object).
    public var oldLabels: SensorLabels?
    /// The contract labels after the change.
    public var newLabels: SensorLabels
    /// The requester is a node's own identity (group `system:nodes`): kubelet registering itself.
    public var isFromNode: Bool

    public init(operation: Operation, nodeName: String, oldLabels: SensorLabels?, newLabels: SensorLabels,
                isFromNode: Bool = false) {
        self.operation = operation
        self.nodeName = nodeName
        self.oldLabels = oldLabels
        self.newLabels = newLabels
        self.isFromNode = isFromNode
    }

    /// The group every kubelet credential carries (Kubernetes Node authorizer).
    public static let nodesGroup = "system:nodes"

    /// `true` when `groups` (the request's `userInfo.groups`) mark a node identity.
    public static func isNodeIdentity(groups: some Sequence<String>) -> Bool {
        groups.contains(nodesGroup)
    }
}
