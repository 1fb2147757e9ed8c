import GigaVUE
import GigaVUESimulatorHarness
import Testing
import TroxileiaCore

/// Issue 15 over SSH against the simulator: bad ports left out without darkening the others, in-place
/// updates with read-back and the simulator's traffic timeline, the fallback for a refusing device.
extension OverSSH {
    @Suite(.serialized, .timeLimit(.minutes(3))) struct SSHTapDriverHitlessTests {
        /// Ports whose traffic never stopped since they first got it: exactly one interval, still open.
        static func neverDark(_ ports: [TapPort], _ fixture: SimulatorFixture) async throws -> Bool {
            let traffic = try await fixture.simulator.traffic()
            return ports.allSatisfy { port in
                guard let spans = traffic[port.cliName], spans.count == 1 else { return false }
                return spans[0].end == nil
            }
        }

        static func fixture(_ strategy: TapUpdateStrategy) async throws -> SimulatorFixture {
            var fixture = try await SimulatorFixture()
            fixture.configuration.policy.updateStrategy = strategy
            return fixture
        }

        @Test(arguments: [TapUpdateStrategy.auto, .rebuild])
        func aBadChassisPortCostsTheOtherSensorsNothing(strategy: TapUpdateStrategy) async throws {
            let fixture = try await Self.fixture(strategy)
            let driver = fixture.driver
            let good = try cliPorts("1/1/x1", "1/1/x2", "1/1/x3")
            _ = try await driver.apply(good)
            let withBad = try await driver.apply(good + [try TapPort(cli: "1/3/x1")])
            #expect(withBad.outcome == .unchanged, "the bad port is left out; the rest already matches")
            #expect(withBad.rejected.map(\.port.cliName) == ["1/3/x1"])
            #expect(withBad.rejected.first?.description.contains("% Port 1/3/x1 does not exist") == true)
            #expect(try await Self.neverDark(good, fixture))
            // The label is fixed: the very next push makes the tap right.
            let fixed = good + [try TapPort(cli: "1/1/x4")]
            let repaired = try await driver.apply(fixed)
            #expect(repaired.after == fixed && repaired.rejected.isEmpty)
            #expect(try await fixture.deviceSensorPorts() == fixed.map(\.cliName))
            if strategy == .auto { #expect(try await Self.neverDark(good, fixture)) }
        }

        @Test func portsInTheSourceGroupOrOutsideToolPortsAreLeftOutToo() async throws {
            var fixture = try await SimulatorFixture()
            fixture.configuration.policy.allowedToolPorts = ToolPortSet(try tenGigPorts(10))
            let result = try await fixture.driver.apply(try cliPorts("1/1/x1", "1/1/x2", "1/1/x20", "1/1/x45"))
            #expect(result.after == (try cliPorts("1/1/x1", "1/1/x2")))
            #expect(result.rejected.map(\.port.cliName) == ["1/1/x20", "1/1/x45"])
            #expect(result.rejected.map(\.eventReason) == ["TapPortRefused", "TapPortRefused"])
        }

        @Test func addsAndRemovesOneOfFortyInPlaceWithZeroDarkTime() async throws {
            let fixture = try await Self.fixture(.auto)
            let driver = fixture.driver
            let forty = try tenGigPorts(40)
            _ = try await driver.apply(forty)
            let mark = try await fixture.simulator.commandLog().last?.sequence ?? 0
            let added = forty + [try TapPort(cli: "1/2/x1")]
            let addition = try await driver.apply(added)
            guard case .applied(let plan) = addition.outcome else { Issue.record("\(addition.outcome)"); return }
            #expect(plan.kind == .inPlace)
            #expect(addition.after == added && addition.inPlaceRefusal == nil)
            #expect(addition.darkTime.count == 40 && addition.longestDarkTime == .zero)
            let removal = try await driver.apply(Array(added.dropFirst()))
            #expect(removal.after == Array(added.dropFirst()) && removal.longestDarkTime == .zero)
            let received = try await fixture.simulator.receivedLines(since: mark + 1)
            #expect(!received.contains { $0.hasPrefix("no map-passall") || $0.hasPrefix("map-passall") })
            #expect(received.contains("port 1/2/x1 type tool"))
            #expect(try await Self.neverDark(Array(forty.dropFirst()), fixture))
        }

        @Test func movesBetweenTwoOneAndNoPortsKeepingRetainedPortsLit() async throws {
            let fixture = try await Self.fixture(.inPlace)
            let driver = fixture.driver
            let two = try cliPorts("1/1/x1", "1/1/x2"), one = try cliPorts("1/1/x1")
            for (step, ports) in [two, one, [], one, two].enumerated() {
                let result = try await driver.apply(ports)
                #expect(result.after == ports, "step \(step)")
                #expect(try await driver.currentSensorPorts().sensorPorts == ports, "read-back at step \(step)")
                #expect(result.longestDarkTime ?? .zero == .zero, "step \(step)")
                let state = try await fixture.simulator.state()
                #expect(state.gigastreams["sensor_stream"] == (ports.count >= 2 ? ports.map(\.cliName) : nil), "step \(step)")
                if step == 1 { #expect(try await Self.neverDark(one, fixture), "2 → 1 keeps 1/1/x1 lit") }
            }
            // 1/1/x1: lit from the first step to 0 ports, then lit again from 0 → 1 on, without a break at 1 → 2.
            let spans = try #require(try await fixture.simulator.traffic()["1/1/x1"])
            #expect(spans.count == 2 && spans[1].end == nil)
        }

        /// Two ports pushed with `auto`, then `fault` switched on and a third port pushed.
        static func growUnderFault(_ fault: String) async throws -> (SimulatorFixture, SSHTapDriver, TapPushResult) {
            let fixture = try await Self.fixture(.auto)
            let driver = fixture.driver
            _ = try await driver.apply(try tenGigPorts(2))
            try await fixture.simulator.setFaults([fault: true])
            let result = try await driver.apply(try tenGigPorts(3))
            #expect(result.after == (try tenGigPorts(3)))
            #expect(try await fixture.deviceSensorPorts() == (try tenGigPorts(3)).map(\.cliName))
            return (fixture, driver, result)
        }

        @Test func aDeviceRefusingInPlaceEditsGetsTheRebuildInTheSameSessionThenOnly() async throws {
            let (fixture, driver, first) = try await Self.growUnderFault("refuse_in_place_edits")
            if case .applied(let plan) = first.outcome { #expect(plan.kind == .rebuild) }
            #expect(first.inPlaceRefusal?.contains("delete it before changing it") == true)
            #expect(driver.inPlaceRefusal.deviceAnswer != nil, "remembered until restart")
            let mark = try await fixture.simulator.commandLog().last?.sequence ?? 0
            let second = try await driver.apply(try tenGigPorts(4))
            #expect(second.after == (try tenGigPorts(4)) && second.inPlaceRefusal == nil)
            let received = try await fixture.simulator.receivedLines(since: mark + 1)
            let changes = received.filter { !$0.hasPrefix("show ") && !["enable", "configure terminal"].contains($0) && !$0.hasPrefix("cli ") }
            #expect(changes.first == "port 1/1/x1,1/1/x2,1/1/x3,1/1/x4 type tool", "straight to the rebuild plan")
            #expect(changes.dropFirst().first == "no map-passall alias sensor_map")
            let log = try await fixture.simulator.commandLog(since: mark + 1)
            #expect(!log.contains { $0.output.contains { $0.hasPrefix("%") } }, "no in-place attempt was refused again")
        }

        /// An in-place edit the device takes without `%` but does not apply is caught by the read-back.
        @Test func aReadBackThatDiffersAfterTheInPlacePlanFinishesWithTheRebuild() async throws {
            let (_, driver, result) = try await Self.growUnderFault("ignore_in_place_edits")
            #expect(result.inPlaceRefusal?.contains("read back") == true, "\(result.inPlaceRefusal ?? "no refusal")")
            #expect(driver.inPlaceRefusal.deviceAnswer != nil)
        }

        @Test func theInPlaceStrategyFailsInsteadOfRebuilding() async throws {
            let fixture = try await Self.fixture(.inPlace)
            _ = try await fixture.driver.apply(try tenGigPorts(2))
            try await fixture.simulator.setFaults(["refuse_in_place_edits": true])
            await #expect(throws: TapError.self) { try await fixture.driver.apply(try tenGigPorts(3)) }
            #expect(try await fixture.deviceSensorPorts() == (try tenGigPorts(2)).map(\.cliName), "nothing lost")
        }

        /// A `%` on the port-type line fails the push before anything changed, with either strategy, and
        /// is not taken for a refusal of in-place edits.
        @Test(arguments: [TapUpdateStrategy.auto, .rebuild])
        func aRefusedPortTypeLeavesTheTapAsItWas(strategy: TapUpdateStrategy) async throws {
            let fixture = try await Self.fixture(strategy)
            let driver = fixture.driver
            let two = try tenGigPorts(2)
            _ = try await driver.apply(two)
            #expect(try await fixture.simulator.configure(["port-group alias other port-list 1/1/x20"]) == 0)
            let withGroupPort = two + [try TapPort(cli: "1/1/x20")]
            do {
                _ = try await driver.apply(withGroupPort)
                Issue.record("a port the device refuses to make a tool port was pushed")
            } catch {
                guard case .commandRejected(let command, let text) = error else { throw error }
                #expect(command.hasSuffix("type tool") && text.contains("port group other"))
            }
            #expect(try await fixture.deviceSensorPorts() == two.map(\.cliName))
            #expect(try await Self.neverDark(two, fixture))
            #expect(driver.inPlaceRefusal.deviceAnswer == nil)
        }

        @Test func aRebuildDarkensRetainedPortsAndTheEstimateSaysSo() async throws {
            let fixture = try await Self.fixture(.rebuild)
            _ = try await fixture.driver.apply(try tenGigPorts(3))
            let result = try await fixture.driver.apply(try tenGigPorts(4))
            #expect((result.longestDarkTime ?? .zero) > .zero)
            let spans = try #require(try await fixture.simulator.traffic()["1/1/x1"])
            #expect(spans.count == 2 && (spans[1].start - (spans[0].end ?? 0)) > 0)
        }

        @Test(arguments: [TapUpdateStrategy.auto, .rebuild])
        func driftAndManualChangesConverge(strategy: TapUpdateStrategy) async throws {
            let fixture = try await Self.fixture(strategy)
            let ports = try tenGigPorts(4)
            _ = try await fixture.driver.apply(ports)
            let manual: [[String]] = [
                ["gigastream alias sensor_stream port-list 1/1/x1..x2"],
                ["map-passall alias sensor_map", "to 1/1/x3", "exit"],
                ["map-passall alias sensor_map", "to sensor_stream", "exit", "port 1/1/x9 type tool",
                 "gigastream alias sensor_stream port-list 1/1/x1..x3,1/1/x9"],
                ["no map-passall alias sensor_map"],
            ]
            for lines in manual {
                #expect(try await fixture.simulator.configure(lines) == 0, "\(lines)")
                let repaired = try await fixture.driver.apply(ports)
                #expect(repaired.changedDevice, "\(lines)")
                #expect(try await fixture.deviceSensorPorts() == ports.map(\.cliName), "\(lines)")
                #expect(try await fixture.driver.apply(ports).outcome == .unchanged, "\(lines)")
            }
        }
    }
}
