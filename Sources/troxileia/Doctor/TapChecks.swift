import GigaVUE
import Logging
import TroxileiaCore

/// The tap half of `doctor`: one read-only session (`show running-config`), then what it shows.
enum TapChecks {
    static func run(_ options: TapOptions, logger: Logger, report: (DoctorCheck) -> Void) async {
        let configuration: SSHTapDriver.Configuration
        do {
            guard let ssh = try options.sshConfiguration() else {
                report(.skip("tap", "no --tap-host given: not checked", hint: "pass run's --tap-* flags to check the tap"))
                return
            }
            configuration = ssh
        } catch {
            report(.fail("tap settings", error.message, hint: "fix the --tap-* flags"))
            return
        }
        let reading: TapReading
        do {
            reading = try await SSHTapDriver(configuration: configuration, logger: logger).currentSensorPorts()
        } catch {
            report(.fail("tap reachable", error.description, hint: hint(for: error)))
            return
        }
        if case .insecureSkipVerification = configuration.hostKey {
            report(.warn("tap reachable", "\(configuration.host):\(configuration.sshPort), host key NOT verified",
                         hint: "use --tap-known-hosts or --tap-host-key-sha256 outside a lab"))
        } else {
            report(.pass("tap reachable", "\(configuration.host):\(configuration.sshPort), host key verified (\(configuration.hostKey)), "
                         + "logged in as \(configuration.user)"))
        }
        let plan = configuration.policy.plan
        if let ports = reading.sourceGroupPorts {
            report(.pass("source port group", "\(plan.sourcePortGroup): \(PortList.cliText(ports))"))
        } else {
            report(.fail("source port group", "port group \(plan.sourcePortGroup) is not on the tap",
                         hint: "create it on the tap with the network ports, or set --source-port-group to the existing one"))
        }
        if let map = reading.configuration.map {
            let detail = "map \(map.alias) sends to \(reading.sensorPorts.isEmpty ? "no sensor port" : PortList.cliText(reading.sensorPorts))"
            if map.hasForeignLines, !configuration.policy.adoptExistingMap {
                report(.warn("managed map", detail + "; it holds lines Troxileia does not write: \(map.foreignLines.joined(separator: "; "))",
                             hint: "move those lines to another map, or run with --adopt-existing-map"))
            } else {
                report(.pass("managed map", detail))
            }
        } else {
            report(.pass("managed map", "map \(plan.mapAlias) does not exist yet; the first push creates it"))
        }
        for warning in reading.warnings {
            report(.warn("running-config", warning.description, hint: "the next push rewrites our objects"))
        }
    }

    private static func hint(for error: TapError) -> String {
        switch error {
        case .hostKeyMismatch, .hostKeyUnknown:
            "compare the tap's key on its console (ssh-keygen -lf) and update --tap-known-hosts or --tap-host-key-sha256"
        case .authenticationFailed:
            "check the files of --tap-password-file / --tap-key-file and the account on the tap"
        case .connectFailed, .timedOut, .connectionLost:
            "check --tap-host and --tap-ssh-port, and that this network may reach the tap's management port"
        case .dialog(.passwordChangeRequired):
            "log in once on the console, change the password, then update the password file"
        case .dialog(.enablePasswordRequired), .dialog(.enablePasswordRejected):
            "set --tap-enable-password-file to the tap's enable password"
        default:
            "see the error; troxileia run --log-level debug prints the session's transcript"
        }
    }
}

extension Error {
    /// The text of a validation error or any other error.
    var message: String { "\(self)" }
}
