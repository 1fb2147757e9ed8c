/// The label rules of DESIGN.md, each turning one observation into a `LabelFinding`.
///
/// Written once; `LabelAudit` applies them to a whole node list, `AdmissionPolicy` to the
/// values one request changes.
public enum LabelRules {
    /// A finding when `value` of the port label is not a valid tap port.
    public static func portSyntax(node: String, key: String, value: String) -> LabelFinding? {
        guard case .failure(let error) = TapPort.parse(value, notation: .label) else { return nil }
        return LabelFinding(node: node, label: key, value: value, severity: .error, kind: .invalidTapPort,
                            problem: "label \(key)=\"\(error.input)\" is not a valid tap port: \(error.problem)",
                            hint: error.hint)
    }

    /// A finding when `value` of the sensor label is neither `true` nor `false`.
    public static func sensorSyntax(node: String, key: String, value: String) -> LabelFinding? {
        guard case .failure(let error) = SensorFlag.parse(value) else { return nil }
        return LabelFinding(node: node, label: key, value: value, severity: .error, kind: .invalidSensorValue,
                            problem: "label \(key)=\"\(error.input)\" is not valid: \(error.problem)",
                            hint: error.hint)
    }

    /// A sensor node whose port label is missing or invalid gets no traffic; say so.
    public static func sensorPort(node: String, labels: SensorLabels, keys: LabelKeys) -> LabelFinding? {
        guard labels.isSensor else { return nil }
        guard let portValue = labels.portValue else {
            return LabelFinding(node: node, label: keys.port, value: nil, severity: .warning, kind: .sensorWithoutPort,
                                problem: "\(keys.sensor)=true but no \(keys.port) label, so it receives no tap traffic",
                                hint: "label it with the tap port it is cabled to, e.g. \(keys.port)=1_1_x1")
        }
        guard case .failure(let error) = TapPort.parse(portValue, notation: .label) else { return nil }
        return LabelFinding(node: node, label: keys.port, value: portValue, severity: .warning,
                            kind: .sensorWithInvalidPort,
                            problem: "\(keys.sensor)=true but \(keys.port)=\"\(error.input)\" is not a valid tap port, "
                                + "so it receives no tap traffic",
                            hint: error.hint)
    }

    /// A request that claims `port` for `node` while `holders` already carry it.
    public static func portTaken(node: String, key: String, port: TapPort, holders: [String]) -> LabelFinding {
        let owners = holders.joined(separator: ", ")
        return LabelFinding(node: node, label: key, value: port.labelValue, severity: .error, kind: .duplicateTapPort,
                            problem: "tap port \(port.labelValue) is already labelled on node \(owners); "
                                + "node \(node) cannot use it",
                            hint: "label \(node) with the port it is cabled to, or remove \(key) from \(owners) first",
                            related: holders)
    }

    /// A request that claims `port` for `node` while another webhook replica admitted it for
    /// `holder` moments ago (its claim is stored, the node list does not show it yet).
    public static func portClaimed(node: String, key: String, port: TapPort, holder: String) -> LabelFinding {
        LabelFinding(node: node, label: key, value: port.labelValue, severity: .error, kind: .duplicateTapPort,
                     problem: "tap port \(port.labelValue) was just admitted for node \(holder) (its label change may still be on its way); "
                         + "node \(node) cannot use it",
                     hint: "label \(node) with the port it is cabled to; if \(holder) does not get the label, retry in a few seconds",
                     related: [holder])
    }

    /// One node of a group that all carry `conflict.port`.
    public static func portShared(node: String, key: String, conflict: PortConflict) -> LabelFinding {
        let others = conflict.nodes.filter { $0 != node }
        return LabelFinding(node: node, label: key, value: conflict.port.labelValue, severity: .error,
                            kind: .duplicateTapPort,
                            problem: "tap port \(conflict.port.labelValue) is also labelled on "
                                + "\(others.joined(separator: ", ")), so none of them receives traffic on it",
                            hint: "a port is cabled to one node: keep \(key) on that node only",
                            related: others)
    }

    /// A node turned sensor while its unchanged port is shared with `others`.
    public static func sensorOnSharedPort(node: String, key: String, port: TapPort, others: [String]) -> LabelFinding {
        LabelFinding(node: node, label: key, value: port.labelValue, severity: .warning, kind: .duplicateTapPort,
                     problem: "tap port \(port.labelValue) is also labelled on \(others.joined(separator: ", ")), "
                         + "so neither node receives traffic on it",
                     hint: "keep \(key) on the node the port is cabled to only",
                     related: others)
    }

    /// A sensor whose port changes: its traffic moves (or stops, when the port is removed).
    public static func sensorPortChange(node: String, key: String, from old: TapPort, to new: TapPort?) -> LabelFinding {
        guard let new else {
            return LabelFinding(node: node, label: key, value: nil, severity: .warning, kind: .sensorPortRemoved,
                                problem: "node is a sensor and loses its \(key) label: its tap traffic on "
                                    + "\(old.cliName) stops",
                                hint: "set \(key) again to resume, or set the sensor label to false")
        }
        return LabelFinding(node: node, label: key, value: new.labelValue, severity: .warning, kind: .sensorPortMoves,
                            problem: "node is a sensor: its tap traffic moves from \(old.cliName) to \(new.cliName)",
                            hint: "make sure the node is cabled to \(new.cliName)")
    }
}
