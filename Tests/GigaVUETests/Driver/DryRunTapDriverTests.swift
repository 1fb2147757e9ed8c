import GigaVUE
import Logging
import Testing
import TroxileiaCore

@Suite struct DryRunTapDriverTests {
    @Test func plansOnceThenRemembersWithoutADevice() async throws {
        let driver = DryRunTapDriver(reader: nil, policy: TapPolicy(), logger: Logger(label: "test"))
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        let first = try await driver.apply(ports)
        guard case .planned(let plan) = first.outcome else { Issue.record("\(first.outcome)"); return }
        #expect(plan.ports == ports)
        #expect(!first.changedDevice)
        #expect(try await driver.currentSensorPorts().sensorPorts == ports)
        #expect(try await driver.apply(ports).outcome == .unchanged)
    }

    /// Like the real driver (issue 15): a port outside --tool-ports is left out, the rest is planned.
    @Test func leavesOutWhatTheRealDriverWouldLeaveOut() async throws {
        let driver = DryRunTapDriver(reader: nil, policy: TapPolicy(allowedToolPorts: try ToolPortSet(parsing: "1/1/x1")),
                                     logger: Logger(label: "test"))
        let result = try await driver.apply(try cliPorts("1/1/x1", "1/1/x9"))
        guard case .planned(let plan) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(plan.ports == (try cliPorts("1/1/x1")))
        #expect(result.rejected == [TapPortRejection(port: try TapPort(cli: "1/1/x9"), reason: .outsideToolPorts)])
    }
}
