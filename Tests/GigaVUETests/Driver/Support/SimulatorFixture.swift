import GigaVUE
import GigaVUESimulatorHarness
import Logging
import TestSupport
import TroxileiaCore

/// A simulator and a driver configured to reach it, with a log that records every line.
struct SimulatorFixture {
    let simulator: GigaVUESimulator
    var configuration: SSHTapDriver.Configuration
    let logLines = RecordingLogHandler.Lines()

    init(_ options: GigaVUESimulator.Options = .init()) async throws {
        simulator = try await GigaVUESimulator(options)
        configuration = SSHTapDriver.Configuration(
            host: "127.0.0.1", sshPort: simulator.sshPort, passwordFile: simulator.passwordFile,
            enablePasswordFile: simulator.enablePasswordFile, hostKey: .knownHosts(path: simulator.knownHostsFile),
            connectTimeout: .seconds(10), commandTimeout: .seconds(10), pushTimeout: .seconds(60))
    }

    var driver: SSHTapDriver { SSHTapDriver(configuration: configuration, logger: RecordingLogHandler.logger(logLines)) }

    /// The sensor ports the simulator's map sends to now.
    func deviceSensorPorts(map: String = "sensor_map") async throws -> [String] {
        try await simulator.state().mapDestinations[map] ?? []
    }

    /// Everything a person could read about the sessions: our log lines and the simulator's own log.
    func everythingLogged() async throws -> String {
        let received = try await simulator.commandLog().map { "\($0.line ?? "") \($0.event ?? "") \($0.output)" }
        return (logLines.all + received).joined(separator: "\n")
    }
}

/// `count` ports `1/1/x1…` in CLI form.
func tenGigPorts(_ count: Int, slot: Int = 1) throws -> [TapPort] {
    try (1...max(count, 1)).prefix(count).map { number throws(TapPortSyntaxError) in try TapPort(cli: "1/\(slot)/x\(number)") }
}
