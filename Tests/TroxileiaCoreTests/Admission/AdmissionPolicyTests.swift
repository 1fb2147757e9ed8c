import Testing
import TroxileiaCore

@Suite struct AdmissionPolicyTests {
    private let policy = AdmissionPolicy()
    /// sensor-01 holds 1_1_x1; dup-a and dup-b both hold 1_1_x3 (labelled before install); gone
    /// holds 1_1_x4 while terminating.
    private let ports = PortIndex(nodes: [
        NodeRecord(name: "sensor-01", labels: ["port": "1_1_x1", "sensor": "true"]),
        NodeRecord(name: "dup-a", labels: ["port": "1_1_x3", "sensor": "false"]),
        NodeRecord(name: "dup-b", labels: ["port": "1_1_x3", "sensor": "false"]),
        NodeRecord(name: "gone", labels: ["port": "1_1_x4"], isTerminating: true),
        NodeRecord(name: "mover", labels: ["port": "1_1_x5", "sensor": "true"]),
    ], keys: .default)

    private func update(_ node: String, from old: [String: String], to new: [String: String],
                        fromNode: Bool = false) -> AdmissionRequest {
        AdmissionRequest(operation: .update, nodeName: node, oldLabels: SensorLabels(labels: old, keys: .default),
                         newLabels: SensorLabels(labels: new, keys: .default), isFromNode: fromNode)
    }

    private func create(_ node: String, _ labels: [String: String], fromNode: Bool = false) -> AdmissionRequest {
        AdmissionRequest(operation: .create, nodeName: node, oldLabels: nil,
                         newLabels: SensorLabels(labels: labels, keys: .default), isFromNode: fromNode)
    }

    // MARK: Allowed

    @Test func allowsCreatingANodeWithAFreePortAndClaimsIt() throws {
        let decision = policy.decide(create("new", ["port": "1_1_x2", "sensor": "true"]), ports: ports)
        #expect(decision == .allowed(claiming: try TapPort(label: "1_1_x2")))
    }

    @Test func allowsAddingAFreePort() throws {
        let decision = policy.decide(update("w", from: [:], to: ["port": "1_1_x2"]), ports: ports)
        #expect(decision.isAllowed && decision.warnings.isEmpty)
        #expect(decision.claimedPort == (try TapPort(label: "1_1_x2")))
    }

    @Test func allowsAnUpdateThatLeavesTheContractLabelsAlone() {
        let decision = policy.decide(update("w", from: ["a": "1"], to: ["a": "2"]), ports: ports)
        #expect(decision == .allowed())
    }

    @Test func allowsRemovingLabels() {
        let decision = policy.decide(update("dup-a", from: ["port": "1_1_x3", "sensor": "false"], to: [:]), ports: ports)
        #expect(decision == .allowed())
    }

    @Test func aNodeMayKeepOrReclaimItsOwnPort() throws {
        #expect(policy.decide(update("sensor-01", from: ["port": "1_1_x1"], to: ["port": "1_1_x1", "sensor": "true"]),
                              ports: ports).isAllowed)
        // Index still shows sensor-01 at 1_1_x1 while it is relabelled elsewhere and back.
        let decision = policy.decide(update("sensor-01", from: ["port": "1_1_x9"], to: ["port": "1_1_x1"]), ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.claimedPort == (try TapPort(label: "1_1_x1")))
    }

    // MARK: Denied

    @Test func deniesAPortHeldByAnotherNodeNamingIt() {
        let decision = policy.decide(update("sensor-04", from: ["port": "1_1_x3"], to: ["port": "1_1_x1"]), ports: ports)
        #expect(decision.denial?.reason == .duplicateTapPort)
        #expect(decision.denial?.message.contains("tap port 1_1_x1 is already labelled on node sensor-01; node sensor-04 cannot use it") == true)
        #expect(decision.denial?.message.contains("remove port from sensor-01 first") == true)
        #expect(decision.claimedPort == nil)
    }

    @Test func deniesCreatingANodeWithATakenPort() {
        let decision = policy.decide(create("new", ["port": "1_1_x1"]), ports: ports)
        #expect(decision.denial?.reason == .duplicateTapPort)
    }

    @Test func aTerminatingNodeStillHoldsItsPort() {
        let decision = policy.decide(update("w", from: [:], to: ["port": "1_1_x4"]), ports: ports)
        #expect(decision.denial?.message.contains("node gone") == true)
    }

    @Test func namesEveryHolderOfADuplicatedPort() {
        let decision = policy.decide(update("w", from: [:], to: ["port": "1_1_x3"]), ports: ports)
        #expect(decision.denial?.message.contains("dup-a, dup-b") == true)
    }

    @Test(arguments: [
        ("1/1/x1", "label values cannot hold \"/\"; write 1_1_x1"),
        ("1_1_X2", "lower case; write 1_1_x2"),
        ("1_1_e1", "GigaSMART engine ports"),
        ("1_01_x2", "no leading zeros (slot \"01\"); write 1_1_x2"),
    ])
    func deniesAMalformedPortWithAHint(value: String, text: String) {
        let decision = policy.decide(update("w", from: [:], to: ["port": value]), ports: ports)
        #expect(decision.denial?.reason == .invalidTapPort)
        #expect(decision.denial?.message.contains(text) == true, "\(decision.denial?.message ?? "")")
        #expect(decision.denial?.message.hasPrefix("node w: label port=\"\(value)\" is not a valid tap port") == true)
    }

    @Test(arguments: ["True", "yes", "1", ""])
    func deniesAMalformedSensorValue(value: String) {
        let decision = policy.decide(update("w", from: [:], to: ["sensor": value]), ports: ports)
        #expect(decision.denial?.reason == .invalidSensorValue)
        #expect(decision.denial?.message.contains("true and false") == true)
    }

    @Test func reportsBothMalformedValuesInOneMessage() {
        let decision = policy.decide(create("w", ["sensor": "yes", "port": "x1"]), ports: ports)
        #expect(decision.denial?.reason == .invalidSensorValue)
        #expect(decision.denial?.message.contains("sensor=\"yes\"") == true)
        #expect(decision.denial?.message.contains("port=\"x1\"") == true)
    }

    // MARK: Ratcheting

    @Test func aNodeHoldingADuplicatePortCanStillBeCordonedOrAnnotated() {
        let labels = ["port": "1_1_x3", "sensor": "false", "x": "1"]
        #expect(policy.decide(update("dup-a", from: labels, to: labels.merging(["y": "2"]) { $1 }), ports: ports) == .allowed())
    }

    @Test func aNodeHoldingABadLabelCanStillBeUpdatedAndFixed() throws {
        let bad = ["port": "1/1/x7", "sensor": "yes"]
        #expect(policy.decide(update("w", from: bad, to: bad), ports: ports) == .allowed())
        let fixed = policy.decide(update("w", from: bad, to: ["port": "1_1_x7", "sensor": "yes"]), ports: ports)
        #expect(fixed.isAllowed, "the unchanged bad sensor value is not judged")
        #expect(fixed.claimedPort == (try TapPort(label: "1_1_x7")))
    }

    @Test func aNodeHoldingADuplicateCannotMoveToAnotherTakenPort() {
        let decision = policy.decide(update("dup-a", from: ["port": "1_1_x3"], to: ["port": "1_1_x1"]), ports: ports)
        #expect(decision.denial?.reason == .duplicateTapPort)
    }

    // MARK: Warnings

    @Test func warnsOnASensorWithoutPort() {
        let decision = policy.decide(update("w", from: [:], to: ["sensor": "true"]), ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.warnings == ["node w: sensor=true but no port label, so it receives no tap traffic; "
            + "label it with the tap port it is cabled to, e.g. port=1_1_x1"])
    }

    @Test func warnsWhenASensorsTrafficMoves() {
        let decision = policy.decide(update("mover", from: ["port": "1_1_x5", "sensor": "true"],
                                            to: ["port": "1_1_x6", "sensor": "true"]), ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.warnings.count == 1)
        #expect(decision.warnings.first?.contains("moves from 1/1/x5 to 1/1/x6") == true)
    }

    @Test func warnsWhenASensorLosesItsPort() {
        let decision = policy.decide(update("mover", from: ["port": "1_1_x5", "sensor": "true"], to: ["sensor": "true"]),
                                     ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.warnings.count == 1)
        #expect(decision.warnings.first?.contains("on 1/1/x5 stops") == true)
    }

    @Test func noMoveWarningForANodeThatIsNotASensor() {
        let decision = policy.decide(update("w", from: ["port": "1_1_x8"], to: ["port": "1_1_x9"]), ports: ports)
        #expect(decision.warnings.isEmpty)
    }

    @Test func turningSensorOnOverAnUnchangedDuplicatePortIsAllowedWithAWarning() {
        let decision = policy.decide(update("dup-a", from: ["port": "1_1_x3", "sensor": "false"],
                                            to: ["port": "1_1_x3", "sensor": "true"]), ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.warnings.count == 1)
        #expect(decision.warnings.first?.contains("also labelled on dup-b") == true)
    }

    // MARK: Who asks, and mode

    @Test func kubeletRegisteringWithBadLabelsIsAdmittedWithWarnings() {
        let decision = policy.decide(create("k", ["port": "1_1_X1", "sensor": "yes"], fromNode: true), ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.claimedPort == nil)
        #expect(decision.warnings.count == 2)
        #expect(decision.warnings.allSatisfy { $0.contains("admitted because the node registers itself") })
    }

    @Test func kubeletRegisteringWithATakenPortIsAdmittedWithAWarning() {
        let decision = policy.decide(create("k", ["port": "1_1_x1"], fromNode: true), ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.warnings.first?.contains("already labelled on node sensor-01") == true)
    }

    @Test func kubeletUpdatesAreJudgedLikeAnyOther() {
        let decision = policy.decide(update("k", from: [:], to: ["port": "1_1_x1"], fromNode: true), ports: ports)
        #expect(decision.denial?.reason == .duplicateTapPort)
    }

    @Test func warnModeTurnsDenialsIntoWarnings() {
        let warn = AdmissionPolicy(mode: .warn)
        let decision = warn.decide(update("w", from: [:], to: ["port": "1_1_x1"]), ports: ports)
        #expect(decision.isAllowed)
        #expect(decision.claimedPort == nil)
        #expect(decision.warnings.first?.hasPrefix("would be denied in enforce mode: node w: tap port 1_1_x1") == true)
    }

    @Test func usesConfiguredLabelKeys() {
        let policy = AdmissionPolicy(keys: LabelKeys(sensor: "tap/sensor", port: "tap/port"))
        let ports = PortIndex(nodes: [NodeRecord(name: "a", labels: ["tap/port": "1_1_x1"])],
                              keys: policy.keys)
        let request = AdmissionRequest(operation: .update, nodeName: "b",
                                       oldLabels: SensorLabels(sensorValue: nil, portValue: nil),
                                       newLabels: SensorLabels(labels: ["tap/port": "1_1_x1", "port": "junk"], keys: policy.keys))
        #expect(policy.decide(request, ports: ports).denial?.message.contains("remove tap/port from a") == true)
    }

    @Test func recognisesNodeIdentities() {
        #expect(AdmissionRequest.isNodeIdentity(groups: ["system:nodes", "system:authenticated"]))
        #expect(!AdmissionRequest.isNodeIdentity(groups: ["system:masters"]))
    }
}
