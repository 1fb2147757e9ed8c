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

    @Test func refusesWhatTheRealDriverWouldRefuse() async throws {
        let driver = DryRunTapDriver(reader: nil, policy: TapPolicy(allowedToolPorts: try ToolPortSet(parsing: "1/1/x1")),
                                     logger: Logger(label: "test"))
        await #expect(throws: TapError.self) { try await driver.apply(try cliPorts("1/1/x9")) }
    }
}
