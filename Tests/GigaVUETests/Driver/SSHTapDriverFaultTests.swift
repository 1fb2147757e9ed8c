import GigaVUE
import GigaVUESimulatorHarness
import Testing
import TroxileiaCore

/// Faults on request from the simulator (issue 5 "Tests"): every failure is an error naming its cause,
/// nothing hangs, and the next push converges.
extension OverSSH {
    @Suite(.serialized, .timeLimit(.minutes(3))) struct SSHTapDriverFaultTests {
        @Test func aDroppedConnectionMidPlanFailsAndTheNextApplyConverges() async throws {
            let fixture = try await SimulatorFixture()
            // Setup is 3 commands and the read one more: the 6th line is the second line of the plan.
            try await fixture.simulator.setFaults(["drop_after_commands": 6])
            let ports = try tenGigPorts(3)
            await #expect(throws: TapError.connectionLost(stage: "read the tap's answer")) {
                try await fixture.driver.apply(ports)
            }
            let retried = try await fixture.driver.apply(ports)
            #expect(retried.changedDevice)
            #expect(try await fixture.deviceSensorPorts() == ports.map(\.cliName))
        }

        @Test func aFailedConfigurationLineFailsWithTheDevicesTextAndARetryConverges() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["fail_config_commands": 1])
            let ports = try tenGigPorts(2)
            do {
                _ = try await fixture.driver.apply(ports)
                Issue.record("a refused configuration line was accepted")
            } catch {
                // The port types go first (issue 15): their error fails the push before anything is deleted.
                guard case .commandRejected(let command, let text) = error else { throw error }
                #expect(command == "port 1/1/x1,1/1/x2 type tool")
                #expect(text.contains("database is busy"))
            }
            #expect(!(try await fixture.simulator.receivedLines()).contains { $0.hasPrefix("no ") }, "nothing was deleted")
            #expect(try await fixture.driver.apply(try tenGigPorts(2)).changedDevice)
        }

        @Test func slowPromptsWithinTheTimeoutSucceed() async throws {
            var fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["prompt_delay_ms": 300])
            fixture.configuration.commandTimeout = .seconds(5)
            #expect(try await fixture.driver.apply(try tenGigPorts(2)).changedDevice)
        }

        @Test func promptsSlowerThanTheCommandTimeoutFailWithATimeout() async throws {
            var fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["prompt_delay_ms": 2_500])
            fixture.configuration.connectTimeout = .seconds(5)
            fixture.configuration.commandTimeout = .seconds(1)
            let started = ContinuousClock.now
            do {
                _ = try await fixture.driver.currentSensorPorts()
                Issue.record("a slow device did not time out")
            } catch {
                guard case .dialog(.timeout(let command, _)) = error else { throw error }
                #expect(command == "enable")
            }
            #expect(started.duration(to: .now) < .seconds(20))
        }

        @Test func theWholePushIsBoundedByThePushTimeout() async throws {
            var fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["prompt_delay_ms": 800])
            fixture.configuration.connectTimeout = .seconds(2)
            fixture.configuration.pushTimeout = .seconds(2)
            await #expect(throws: TapError.timedOut(stage: "push to the tap", after: .seconds(2))) {
                try await fixture.driver.apply(try tenGigPorts(2))
            }
        }

        @Test func aForcedPasswordChangeIsAClearError() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["force_password_change": true])
            do {
                _ = try await fixture.driver.currentSensorPorts()
                Issue.record("logged in past a forced password change")
            } catch {
                guard case .dialog(.passwordChangeRequired(let prompt)) = error else { throw error }
                #expect(prompt == "Admin Password:")
                #expect(error.description.contains("change it on the device by hand"))
            }
        }

        @Test func readsAndAppliesThroughThePager() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["force_paging": true])
            let ports = try tenGigPorts(40)
            // 40 ports make the running-config far longer than one 24-line page.
            #expect(try await fixture.driver.apply(ports).changedDevice)
            #expect(try await fixture.driver.currentSensorPorts().sensorPorts == ports)
            let lines = try await fixture.simulator.state().runningConfig.split(separator: "\n").count
            #expect(lines > 24, "the answer spans more than one page")
        }

        @Test(arguments: ["terminal_length", "both"])
        func goesOnWhenAPagingCommandIsRefused(refused: String) async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["refuse_paging_command": refused])
            #expect(try await fixture.driver.apply(try tenGigPorts(2)).changedDevice)
            #expect(try await fixture.simulator.receivedLines().contains("no cli session paging enable"))
        }

        @Test func aCancelDuringThePlanLetsThePlanFinish() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["prompt_delay_ms": 150])
            let driver = fixture.driver
            let ports = try tenGigPorts(3)
            let task = Task { try await driver.apply(ports) }
            // Cancel right after the first deletion reached the device.
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline,
                  !(try await fixture.simulator.receivedLines()).contains("no map-passall alias sensor_map") {
                try await Task.sleep(for: .milliseconds(20))
            }
            task.cancel()
            let result = await task.result
            // Stopping between the deletions and the creations would leave the tap with no map.
            #expect(try await fixture.deviceSensorPorts() == ports.map(\.cliName))
            #expect(try await fixture.simulator.receivedLines().contains("write memory"))
            // The plan completed, so the caller hears that it did (issue 13), not `.cancelled`.
            guard case .success(let push) = result else {
                Issue.record("a plan that completed was reported as \(result)")
                return
            }
            #expect(push.changedDevice && push.after == ports)
        }

        @Test func cancellingAPushClosesTheSessionPromptly() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["prompt_delay_ms": 5_000])
            let driver = fixture.driver
            let task = Task { try await driver.apply(try tenGigPorts(2)) }
            try await Task.sleep(for: .milliseconds(500))
            let started = ContinuousClock.now
            task.cancel()
            let result = await task.result
            #expect(started.duration(to: .now) < .seconds(3))
            guard case .failure(let error) = result, case .cancelled? = error as? TapError else {
                Issue.record("expected .cancelled, got \(result)")
                return
            }
        }
    }
}
