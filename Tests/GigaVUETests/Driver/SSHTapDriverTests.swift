import GigaVUE
import GigaVUESimulatorHarness
import Testing
import TroxileiaCore

/// The SSH driver against the GigaVUE simulator over real SSH on loopback (issue 5 "Tests").
extension OverSSH {
    @Suite(.serialized, .timeLimit(.minutes(3))) struct SSHTapDriverTests {
        @Test(arguments: [0, 1, 2, 40])
        func appliesThePlanAndTheDeviceHoldsExactlyThosePorts(count: Int) async throws {
            let fixture = try await SimulatorFixture()
            let ports = try tenGigPorts(count)
            if count == 0 {
                // Something to remove first, so the empty plan has work to do.
                _ = try await fixture.driver.apply(try tenGigPorts(2))
            }
            let mark = try await fixture.simulator.commandLog().last?.sequence ?? 0
            let result = try await fixture.driver.apply(ports)
            guard case .applied(let plan) = result.outcome else { Issue.record("\(result.outcome)"); return }
            #expect(result.after == ports)
            #expect(try await fixture.deviceSensorPorts() == ports.map(\.cliName))
            let state = try await fixture.simulator.state()
            #expect(state.gigastreams["sensor_stream"] == (count >= 2 ? ports.map(\.cliName) : nil))
            #expect(state.maps["sensor_map"]?.from == (count == 0 ? nil : "net_group"))
            #expect(state.saves >= 1)
            // What the device received between the two reads is exactly the plan.
            let received = try await fixture.simulator.receivedLines(since: mark + 1)
            let setup = ["enable", "cli session terminal length 999", "configure terminal", "show running-config", "show port"]
            #expect(Array(received.prefix(5)) == setup)
            #expect(Array(received.dropFirst(5).dropLast()) == plan.lines)
            #expect(received.last == "show running-config")
            let reading = try await fixture.driver.currentSensorPorts()
            #expect(reading.sensorPorts == ports)
        }

        @Test func reapplyingTheSameSetChangesNothingOnTheDevice() async throws {
            let fixture = try await SimulatorFixture()
            let ports = try tenGigPorts(3)
            _ = try await fixture.driver.apply(ports)
            let saves = try await fixture.simulator.state().saves
            let mark = try await fixture.simulator.commandLog().last?.sequence ?? 0
            let again = try await fixture.driver.apply(ports)
            #expect(again.outcome == .unchanged)
            #expect(!again.changedDevice)
            let received = try await fixture.simulator.receivedLines(since: mark + 1)
            #expect(received == ["enable", "cli session terminal length 999", "configure terminal", "show running-config",
                                 "show port"])
            #expect(try await fixture.simulator.state().saves == saves)
        }

        @Test func repairsAManualChange() async throws {
            let fixture = try await SimulatorFixture()
            let ports = try tenGigPorts(4)
            _ = try await fixture.driver.apply(ports)
            let errors = try await fixture.simulator.configure([
                "no map-passall alias sensor_map", "no gigastream alias sensor_stream",
                "gigastream alias sensor_stream port-list 1/1/x1..x2", "map-passall alias sensor_map", "from net_group",
                "to sensor_stream", "exit",
            ])
            #expect(errors == 0)
            #expect(try await fixture.driver.currentSensorPorts().sensorPorts == (try tenGigPorts(2)))
            let repaired = try await fixture.driver.apply(ports)
            #expect(repaired.changedDevice)
            #expect(repaired.before == (try tenGigPorts(2)))
            #expect(try await fixture.deviceSensorPorts() == ports.map(\.cliName))
        }

        /// Issue 15: a port the chassis lacks is left out with the device's answer; the rest is pushed.
        @Test func aPortTheChassisLacksIsLeftOutWithTheDevicesAnswer() async throws {
            let fixture = try await SimulatorFixture()
            let ports = try cliPorts("1/1/x1", "1/1/x2", "1/9/x1")
            let result = try await fixture.driver.apply(ports)
            #expect(result.changedDevice)
            #expect(result.after == (try cliPorts("1/1/x1", "1/1/x2")))
            let rejection = try #require(result.rejected.first)
            #expect(result.rejected.count == 1 && rejection.port.cliName == "1/9/x1" && rejection.eventReason == "TapPortUnknown")
            #expect(rejection.description.contains("% Port 1/9/x1 does not exist"))
            #expect(result.chassisPorts?.contains(try TapPort(cli: "1/1/x48")) == true)
            // The bad port never reached a configuration line.
            let received = try await fixture.simulator.receivedLines()
            #expect(!received.contains { $0.contains("1/9/x1") && !$0.hasPrefix("show port") })
        }

        @Test func takesOverTheMapUnderTheConfiguredAlias() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.configure(["port 1/1/x9 type tool", "map-passall alias ops_map", "from net_group", "to 1/1/x9", "exit"])
            var configuration = fixture.configuration
            configuration.policy.plan = TapPlan.Configuration(mapAlias: try AliasName("ops_map"),
                                                              gigastreamAlias: try AliasName("ops_stream"))
            let driver = SSHTapDriver(configuration: configuration, logger: .init(label: "test"))
            #expect(try await driver.currentSensorPorts().sensorPorts == (try cliPorts("1/1/x9")))
            let result = try await driver.apply(try tenGigPorts(2, slot: 2))
            #expect(result.before == (try cliPorts("1/1/x9")))
            let state = try await fixture.simulator.state()
            #expect(state.maps["ops_map"]?.to == "ops_stream")
            #expect(state.gigastreams["ops_stream"] == ["1/2/x1", "1/2/x2"])
            #expect(state.maps["sensor_map"] == nil, "the default aliases are left alone")
        }
    }
}
