/// What Troxileia keeps of one Node: its identity, labels, annotations and whether it is being
/// deleted. Everything else a Node carries (status, images: ~20 KB each) is never read.
public struct NodeRecord: Hashable, Sendable {
    /// `metadata.name`.
    public var name: String
    /// `metadata.uid`; empty when the source has none (an offline file may omit it).
    public var uid: String
    /// `metadata.labels`.
    public var labels: [String: String]
    /// `metadata.annotations`.
    public var annotations: [String: String]
    /// `metadata.deletionTimestamp` is set: the node is going away but still exists.
    public var isTerminating: Bool

    public init(name: String, uid: String = "", labels: [String: String] = [:],
                annotations: [String: String] = [:], isTerminating: Bool = false) {
        self.name = name
        self.uid = uid
        self.labels = labels
        self.annotations = annotations
        self.isTerminating = isTerminating
    }

    /// The contract labels under `keys`.
    public func sensorLabels(_ keys: LabelKeys) -> SensorLabels {
        SensorLabels(labels: labels, keys: keys)
    }
}
