/// What one node's labels say for the sensor set, parsed once when the node changes (issue 18), so
/// that a change elsewhere in the cluster never re-reads this node's labels.
public struct NodeFacts: Hashable, Sendable {
    /// The node's claim on the tap, before conflicts, termination and exclusions are considered.
    public enum Claim: Hashable, Sendable {
        /// `sensor=false` or no sensor label: no claim (its port still counts in the index).
        case none
        /// `sensor` is neither `true` nor `false`.
        case invalidSensorValue
        /// `sensor=true` without a port label.
        case missingPort
        /// `sensor=true` with a malformed port label.
        case invalidPort
        /// `sensor=true` with a valid port (then `port` is set).
        case sensor
    }

    /// `metadata.name`.
    public let name: String
    /// The valid port label, whatever the sensor flag: what the port index holds.
    public let port: TapPort?
    /// What the labels claim.
    public let claim: Claim
    /// `metadata.deletionTimestamp` is set.
    public let isTerminating: Bool

    /// Parses `node`'s contract labels under `keys`, with the same rules as `SensorSet(snapshot:excluding:)`.
    public init(_ node: NodeRecord, keys: LabelKeys) {
        let labels = node.sensorLabels(keys)
        name = node.name
        port = labels.validPort
        isTerminating = node.isTerminating
        switch labels.sensor {
        case .failure: claim = .invalidSensorValue
        case .success(false): claim = .none
        case .success(true):
            switch labels.port {
            case nil: claim = .missingPort
            case .failure?: claim = .invalidPort
            case .success?: claim = .sensor
            }
        }
    }
}
