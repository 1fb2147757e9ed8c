/// The two contract labels of one node, read once for every consumer (`validate`, the webhook,
/// the cluster store, the reconciler) so all of them agree on what a label means.
public struct SensorLabels: Hashable, Sendable {
    /// Raw value of the sensor label, `nil` when absent.
    public let sensorValue: String?
    /// Raw value of the port label, `nil` when absent.
    public let portValue: String?

    /// Reads the contract labels out of a node's full label map.
    public init(labels: [String: String], keys: LabelKeys) {
        self.sensorValue = labels[keys.sensor]
        self.portValue = labels[keys.port]
    }

    public init(sensorValue: String?, portValue: String?) {
        self.sensorValue = sensorValue
        self.portValue = portValue
    }

    /// The sensor flag; absent is `false`.
    public var sensor: Result<Bool, SensorFlagError> { SensorFlag.parse(sensorValue) }

    /// The tap port; `nil` when the label is absent.
    public var port: Result<TapPort, TapPortSyntaxError>? {
        portValue.map { TapPort.parse($0, notation: .label) }
    }

    /// `true` only for a valid `sensor=true`.
    public var isSensor: Bool { (try? sensor.get()) ?? false }

    /// The port when the label is present and valid.
    public var validPort: TapPort? { try? port?.get() }
}
