import Foundation
import GigaVUE
import GigaVUESimulatorHarness
import Testing
import TroxileiaCore

/// Connecting and logging in: host keys (checked before any credential leaves), each login method,
/// the enable password, and secrets that never reach a log line or a transcript.
extension OverSSH {
    @Suite(.serialized, .timeLimit(.minutes(3))) struct SSHTapDriverLoginTests {
        @Test func aChangedHostKeyIsRefusedBeforeAnyPasswordIsSent() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["alternate_host_key": true])
            do {
                _ = try await fixture.driver.currentSensorPorts()
                Issue.record("a changed host key was accepted")
            } catch {
                guard case .hostKeyMismatch(_, _, let presented) = error else { throw error }
                #expect(presented == fixture.simulator.alternateHostKeySHA256)
            }
            let log = try await fixture.simulator.commandLog()
            #expect(!log.contains { $0.session == "auth" || ($0.event ?? "").contains("login") }, "\(log.map(\.event))")
        }

        @Test func aPinnedFingerprintIsCheckedBothWays() async throws {
            var fixture = try await SimulatorFixture()
            fixture.configuration.hostKey = .fingerprint(try HostKeyFingerprint(parsing: fixture.simulator.hostKeySHA256))
            #expect(try await fixture.driver.currentSensorPorts().sensorPorts.isEmpty)
            fixture.configuration.hostKey = .fingerprint(try HostKeyFingerprint(parsing: fixture.simulator.alternateHostKeySHA256))
            await #expect(throws: TapError.hostKeyMismatch(host: "127.0.0.1", expected: fixture.simulator.alternateHostKeySHA256,
                                                           presented: fixture.simulator.hostKeySHA256)) {
                try await fixture.driver.currentSensorPorts()
            }
        }

        @Test func aHostMissingFromKnownHostsIsRefused() async throws {
            var fixture = try await SimulatorFixture()
            let other = FileManager.default.temporaryDirectory.appending(path: "known_hosts-\(UUID().uuidString)").path
            let line = try String(contentsOfFile: fixture.simulator.knownHostsFile, encoding: .utf8)
                .replacingOccurrences(of: "]:\(fixture.simulator.sshPort) ", with: "]:1 ")
            try line.write(toFile: other, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: other) }
            fixture.configuration.hostKey = .knownHosts(path: other)
            do {
                _ = try await fixture.driver.currentSensorPorts()
                Issue.record("an unknown host was accepted")
            } catch {
                guard case .hostKeyUnknown(let host, _, _) = error else { throw error }
                #expect(host == "[127.0.0.1]:\(fixture.simulator.sshPort)")
            }
        }

        @Test func insecureModeConnectsAndWarnsAtEveryConnection() async throws {
            var fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["alternate_host_key": true])
            fixture.configuration.hostKey = .insecureSkipVerification
            _ = try await fixture.driver.currentSensorPorts()
            _ = try await fixture.driver.currentSensorPorts()
            #expect(fixture.logLines.all.filter { $0.contains("tap host key not verified") }.count == 2)
        }

        @Test func aWrongPasswordFailsNamingTheMethods() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["reject_password": true])
            do {
                _ = try await fixture.driver.currentSensorPorts()
                Issue.record("a rejected password logged in")
            } catch {
                guard case .authenticationFailed(let user, let tried, let offered) = error else { throw error }
                #expect(user == "admin")
                #expect(tried == ["password", "keyboard-interactive"])
                #expect(offered.contains("password"))
            }
        }

        @Test func logsInWithKeyboardInteractiveWhenPasswordIsNotOffered() async throws {
            let fixture = try await SimulatorFixture()
            try await fixture.simulator.setFaults(["no_password_method": true])
            _ = try await fixture.driver.currentSensorPorts()
            let log = try await fixture.simulator.commandLog()
            #expect(log.contains { ($0.event ?? "").contains("method=keyboard-interactive") }, "\(log.compactMap(\.event))")
        }

        @Test func logsInWithAPublicKey() async throws {
            let keys = try TestKeyPair()
            var options = GigaVUESimulator.Options()
            options.authorizedKeys = [keys.publicKey]
            var fixture = try await SimulatorFixture(options)
            fixture.configuration.passwordFile = nil
            fixture.configuration.keyFile = keys.privateKeyFile
            _ = try await fixture.driver.currentSensorPorts()
            let log = try await fixture.simulator.commandLog()
            #expect(log.contains { ($0.event ?? "").contains("method=publickey") }, "\(log.compactMap(\.event))")
        }

        @Test func answersTheEnablePasswordAndNeverShowsASecret() async throws {
            var options = GigaVUESimulator.Options()
            options.enablePassword = "en-\(UUID().uuidString.prefix(8))"
            let fixture = try await SimulatorFixture(options)
            let result = try await fixture.driver.apply(try tenGigPorts(2))
            #expect(result.changedDevice)
            // A failing session too: its error and transcript must not show the secrets either.
            try await fixture.simulator.setFaults(["fail_config_commands": 3])
            let failure: (any Error)?
            do { _ = try await fixture.driver.apply(try tenGigPorts(3)); failure = nil } catch { failure = error }
            let everything = try await fixture.everythingLogged() + "\(result.transcript)" + "\(failure.map { "\($0)" } ?? "")"
            #expect(everything.contains("tap session transcript"), "the transcript is logged at debug level")
            for secret in [options.password, options.enablePassword ?? ""] {
                #expect(!everything.contains(secret))
            }
        }

        @Test func aMissingKeyFileIsAClearErrorNotAFallbackToThePassword() async throws {
            var fixture = try await SimulatorFixture()
            fixture.configuration.keyFile = "/nonexistent/troxileia/id_ed25519"
            await #expect(throws: TapError.invalidConfiguration("--tap-key-file /nonexistent/troxileia/id_ed25519 is not a readable file")) {
                try await fixture.driver.currentSensorPorts()
            }
        }

        @Test func aRotatedPasswordFileIsReadAtTheNextConnection() async throws {
            var fixture = try await SimulatorFixture()
            let file = FileManager.default.temporaryDirectory.appending(path: "tap-password-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: file) }
            try "stale-password\n".write(toFile: file, atomically: true, encoding: .utf8)
            fixture.configuration.passwordFile = file
            await #expect(throws: TapError.self) { try await fixture.driver.currentSensorPorts() }
            // The Secret is updated in place: no restart, the next session logs in.
            try (fixture.simulator.options.password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            _ = try await fixture.driver.currentSensorPorts()
        }

        @Test func aRefusedConnectionIsNamed() async throws {
            let fixture = try await SimulatorFixture()
            var configuration = fixture.configuration
            fixture.simulator.stop()
            configuration.connectTimeout = .seconds(2)
            let driver = SSHTapDriver(configuration: configuration, logger: .init(label: "test"))
            do {
                _ = try await driver.currentSensorPorts()
                Issue.record("connected to a stopped simulator")
            } catch {
                guard case .connectFailed(let host, let port, let reason) = error else { throw error }
                #expect(host == "127.0.0.1" && port == fixture.simulator.sshPort)
                #expect(reason.contains("refused"))
            }
        }

        @Test func aPeerThatIsNotSSHFailsTheKeyExchangeInTime() async throws {
            var fixture = try await SimulatorFixture()
            // The control port speaks HTTP: it accepts, then never says "SSH-2.0".
            fixture.configuration.sshPort = fixture.simulator.controlPort
            fixture.configuration.connectTimeout = .seconds(2)
            let started = ContinuousClock.now
            await #expect(throws: TapError.self) { try await fixture.driver.currentSensorPorts() }
            #expect(started.duration(to: .now) < .seconds(15))
        }
    }
}

/// An ed25519 key pair made with ssh-keygen in a temporary directory.
struct TestKeyPair {
    let privateKeyFile: String
    let publicKey: String

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "troxileia-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        privateKeyFile = directory.appending(path: "id_ed25519").path
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/ssh-keygen")
        process.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", privateKeyFile, "-C", "troxileia-test"]
        try process.run()
        process.waitUntilExit()
        publicKey = try String(contentsOfFile: privateKeyFile + ".pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
