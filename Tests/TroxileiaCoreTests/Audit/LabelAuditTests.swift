import Testing
import TroxileiaCore

@Suite struct LabelAuditTests {
    @Test func reportsEachKindOfFindingSortedByNode() {
        let findings = LabelAudit.findings(for: [
            NodeRecord(name: "d", labels: ["sensor": "true", "port": "1_1_x1"]),
            NodeRecord(name: "c", labels: ["sensor": "false", "port": "1_1_x1"]),
            NodeRecord(name: "b", labels: ["sensor": "True", "port": "1/1/x2"]),
            NodeRecord(name: "a", labels: ["sensor": "true"]),
            NodeRecord(name: "e", labels: ["sensor": "true", "port": "1_1_x9"]),
        ], keys: .default)
        #expect(findings.map { "\($0.node) \($0.severity.rawValue) \($0.kind.rawValue)" } == [
            "a warning SensorWithoutPort",
            "b error InvalidTapPort",
            "b error InvalidSensorValue",
            "c error DuplicateTapPort",
            "d error DuplicateTapPort",
        ])
        #expect(findings[3].related == ["d"])
        #expect(findings[4].related == ["c"])
        #expect(findings[1].hint == "write 1_1_x2")
        #expect(findings[2].hint == "write true (the accepted values are true and false)")
    }

    @Test func reportsASensorWithAnInvalidPortOnlyOnce() {
        let findings = LabelAudit.findings(for: [NodeRecord(name: "a", labels: ["sensor": "true", "port": "x1"])],
                                           keys: .default)
        #expect(findings.map(\.kind) == [.invalidTapPort])
    }

    @Test func cleanNodesHaveNoFindings() {
        #expect(LabelAudit.findings(for: [
            NodeRecord(name: "a", labels: ["sensor": "true", "port": "1_1_x1"]),
            NodeRecord(name: "b"),
        ], keys: .default).isEmpty)
    }
}
