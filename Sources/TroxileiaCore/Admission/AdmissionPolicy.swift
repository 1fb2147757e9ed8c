/// Decides one Node CREATE or UPDATE against the other nodes' ports.
///
/// Ratcheting (DESIGN.md "Decisions worth keeping"): only a `port` or `sensor` value that the
/// request sets or changes is judged, so a node that already holds a bad or duplicate label can
/// still be cordoned, annotated, or fixed. Errors deny the request, except:
/// - kubelet registering its node (a CREATE from `system:nodes`): denying it would keep the
///   machine out of the cluster, so it is admitted with the errors as warnings and the
///   reconciler leaves the node's port out;
/// - `Mode.warn`, for adopting the webhook on a live cluster: every denial becomes a warning.
public struct AdmissionPolicy: Sendable {
    /// Whether errors deny (`enforce`, the default) or only warn.
    public enum Mode: String, Sendable, CaseIterable {
        case enforce, warn
    }

    /// The contract label keys.
    public var keys: LabelKeys
    /// Enforce (default) or warn.
    public var mode: Mode

    public init(keys: LabelKeys = .default, mode: Mode = .enforce) {
        self.keys = keys
        self.mode = mode
    }

    /// The decision for `request`, given which nodes hold which port. `ports` may include the
    /// requesting node itself (its own, possibly old, entries are ignored). Pure and total:
    /// every input has an answer.
    public func decide(_ request: AdmissionRequest, ports: some PortHolders) -> AdmissionDecision {
        let node = request.nodeName
        let new = request.newLabels
        let old = request.oldLabels ?? SensorLabels(sensorValue: nil, portValue: nil)
        let sensorSet = new.sensorValue != nil && new.sensorValue != old.sensorValue
        let portSet = new.portValue != nil && new.portValue != old.portValue
        let portRemoved = new.portValue == nil && old.portValue != nil

        var errors: [LabelFinding] = []
        var warnings: [LabelFinding] = []
        var claimedPort: TapPort?

        if sensorSet, let value = new.sensorValue, let finding = LabelRules.sensorSyntax(node: node, key: keys.sensor, value: value) {
            errors.append(finding)
        }
        if portSet, let value = new.portValue {
            if let finding = LabelRules.portSyntax(node: node, key: keys.port, value: value) {
                errors.append(finding)
            } else if let port = new.validPort {
                let holders = ports.holders(of: port, excluding: node)
                if holders.isEmpty {
                    claimedPort = port
                } else {
                    errors.append(LabelRules.portTaken(node: node, key: keys.port, port: port, holders: holders))
                }
            }
        }

        // Warnings, like errors, speak only of what this request changes.
        let turnedSensor = sensorSet && new.isSensor && !old.isSensor
        if turnedSensor, !portSet {
            if let finding = LabelRules.sensorPort(node: node, labels: new, keys: keys) {
                warnings.append(finding)
            } else if let port = new.validPort {
                let others = ports.holders(of: port, excluding: node)
                if !others.isEmpty {
                    warnings.append(LabelRules.sensorOnSharedPort(node: node, key: keys.port, port: port, others: others))
                }
            }
        }
        if new.isSensor, old.isSensor, portSet || portRemoved, errors.isEmpty, let oldPort = old.validPort {
            warnings.append(LabelRules.sensorPortChange(node: node, key: keys.port, from: oldPort, to: new.validPort))
        }

        let warningTexts = warnings.map(\.message)
        guard let first = errors.first else {
            return .allowed(warnings: warningTexts, claiming: claimedPort)
        }
        let message = errors.map(\.message).joined(separator: "; and ")
        if request.operation == .create && request.isFromNode {
            let admitted = errors.map {
                "\($0.message) (admitted because the node registers itself; Troxileia leaves its port off the tap until this is fixed)"
            }
            return .allowed(warnings: admitted + warningTexts)
        }
        if mode == .warn {
            return .allowed(warnings: ["would be denied in enforce mode: \(message)"] + warningTexts)
        }
        let reason: AdmissionDenialReason = switch first.kind {
        case .invalidSensorValue: .invalidSensorValue
        case .duplicateTapPort: .duplicateTapPort
        default: .invalidTapPort
        }
        return .denied(AdmissionDenial(reason: reason, message: message), warnings: warningTexts)
    }
}
