import ArgumentParser
import GigaVUE
import Logging
import TroxileiaCore

/// The tap's flags (DESIGN.md configuration table: `--tap-*`, the aliases, `--tool-ports`,
/// `--adopt-existing-map`, `--dry-run`), shared by `run`, `plan` and `doctor`.
struct TapOptions: ParsableArguments {
    @Option(help: "Management address of the GigaVUE tap (SSH). Without it, nothing is pushed.")
    var tapHost: String?

    @Option(help: "SSH port of the tap (not a tap port like 1/1/x1).")
    var tapSSHPort = 22

    @Option(help: "User to log in to the tap as.")
    var tapUser = "admin"

    @Option(help: "File holding the tap password (password and keyboard-interactive login); re-read at every connection.")
    var tapPasswordFile: String?

    @Option(help: "Private key file for public-key login, tried before the password.")
    var tapKeyFile: String?

    @Option(help: "File holding the private key's passphrase.")
    var tapKeyPassphraseFile: String?

    @Option(help: "File holding the enable password, if the tap asks for one after 'enable'.")
    var tapEnablePasswordFile: String?

    @Option(help: "OpenSSH known_hosts file holding the tap's host key (one of the three host-key settings is required).")
    var tapKnownHosts: String?

    @Option(name: .customLong("tap-host-key-sha256"),
            help: "The tap's pinned host-key fingerprint, SHA256:<base64> as ssh-keygen -lf prints it.")
    var tapHostKeySHA256: String?

    @Flag(help: "Accept any tap host key (logs a warning at every connection). For labs only.")
    var tapInsecureSkipHostKeyVerification = false

    @Option(help: "Limit for TCP connect, key exchange, login and the first prompt.")
    var tapConnectTimeout = "10s"

    @Option(help: "Limit for one CLI command's answer.")
    var tapCommandTimeout = "30s"

    @Option(help: "Limit for a whole session with the tap (read, plan, read-back).")
    var tapPushTimeout = "2m"

    @Option(help: "Set the sensor ports to type tool before building the GigaStream (true/false).")
    var tapSetToolType = true

    @Option(help: "Save the configuration with 'write memory' after a push (true/false).")
    var tapSave = true

    @Option(help: "Alias of the map-passall Troxileia manages.")
    var mapAlias = AliasName.defaultMap.value

    @Option(help: "Alias of the GigaStream Troxileia manages.")
    var gigastreamAlias = AliasName.defaultGigaStream.value

    @Option(help: "Alias of the port group holding the network ports (the map's source; never changed).")
    var sourcePortGroup = AliasName.defaultSourcePortGroup.value

    @Option(help: "Tap ports that may be pushed, e.g. 1/1/x1..x24,1/2/x1 (default: any).")
    var toolPorts: String?

    @Option(help: "How a push changes the tap: auto (in place, verified, rebuild when the tap refuses), in-place or rebuild.")
    var tapUpdateStrategy = TapUpdateStrategy.auto.rawValue

    @Flag(help: "Replace our map even when it holds lines Troxileia does not manage.")
    var adoptExistingMap = false

    @Flag(help: "Plan and log pushes but never change the tap.")
    var dryRun = false

    static let environmentTwins: [EnvironmentTwins.Twin] = [
        "tap-host", "tap-ssh-port", "tap-user", "tap-password-file", "tap-key-file", "tap-key-passphrase-file",
        "tap-enable-password-file", "tap-known-hosts", "tap-host-key-sha256", "tap-connect-timeout",
        "tap-command-timeout", "tap-push-timeout", "tap-set-tool-type", "tap-save", "map-alias", "gigastream-alias",
        "source-port-group", "tool-ports", "tap-update-strategy",
    ].map { EnvironmentTwins.Twin(flag: $0, kind: .option) } + [
        "tap-insecure-skip-host-key-verification", "adopt-existing-map", "dry-run",
    ].map { EnvironmentTwins.Twin(flag: $0, kind: .flag) }

    /// The plan's aliases, ports and switches.
    func policy() throws(ValidationError) -> TapPolicy {
        func alias(_ text: String, _ flag: String) throws(ValidationError) -> AliasName {
            do { return try AliasName(text) } catch { throw ValidationError("\(flag): \(error)") }
        }
        var allowed: ToolPortSet?
        if let toolPorts {
            do { allowed = try ToolPortSet(parsing: toolPorts) } catch { throw ValidationError("--tool-ports: \(error)") }
        }
        let plan = TapPlan.Configuration(mapAlias: try alias(mapAlias, "--map-alias"),
                                         gigastreamAlias: try alias(gigastreamAlias, "--gigastream-alias"),
                                         sourcePortGroup: try alias(sourcePortGroup, "--source-port-group"),
                                         setToolType: tapSetToolType, save: tapSave)
        guard let strategy = TapUpdateStrategy(rawValue: tapUpdateStrategy) else {
            throw ValidationError("--tap-update-strategy must be auto, in-place or rebuild, got \"\(tapUpdateStrategy)\"")
        }
        return TapPolicy(plan: plan, allowedToolPorts: allowed, adoptExistingMap: adoptExistingMap, updateStrategy: strategy)
    }

    /// The SSH driver's settings, `nil` without `--tap-host`.
    /// - Throws: one `ValidationError` naming every problem (a contradictory or missing setting is
    ///   reported at startup, not at the first push).
    func sshConfiguration() throws(ValidationError) -> SSHTapDriver.Configuration? {
        guard let tapHost else {
            let stray = [tapPasswordFile, tapKeyFile, tapKnownHosts, tapHostKeySHA256].contains { $0 != nil }
            if stray { throw ValidationError("tap credentials or host keys are set but --tap-host is not") }
            return nil
        }
        var problems: [String] = []
        let hostKey: HostKeyPolicy?
        switch (tapKnownHosts, tapHostKeySHA256, tapInsecureSkipHostKeyVerification) {
        case (let path?, nil, false): hostKey = .knownHosts(path: path)
        case (nil, let text?, false):
            do { hostKey = .fingerprint(try HostKeyFingerprint(parsing: text)) } catch {
                problems.append(error.description)
                hostKey = nil
            }
        case (nil, nil, true): hostKey = .insecureSkipVerification
        case (nil, nil, false):
            problems.append("set one of --tap-known-hosts, --tap-host-key-sha256 or --tap-insecure-skip-host-key-verification")
            hostKey = nil
        default:
            problems.append("set only one of --tap-known-hosts, --tap-host-key-sha256 and --tap-insecure-skip-host-key-verification")
            hostKey = nil
        }
        var durations: [Duration] = []
        for (flag, text) in [("--tap-connect-timeout", tapConnectTimeout), ("--tap-command-timeout", tapCommandTimeout),
                             ("--tap-push-timeout", tapPushTimeout)] {
            if let value = DurationText.parse(text) { durations.append(value) } else {
                problems.append("\(flag): \"\(text)\" is not a duration (e.g. 10s)")
                durations.append(.seconds(1))
            }
        }
        let configuration = SSHTapDriver.Configuration(
            host: tapHost, sshPort: tapSSHPort, user: tapUser, passwordFile: tapPasswordFile, keyFile: tapKeyFile,
            keyPassphraseFile: tapKeyPassphraseFile, enablePasswordFile: tapEnablePasswordFile,
            hostKey: hostKey ?? .insecureSkipVerification, connectTimeout: durations[0], commandTimeout: durations[1],
            pushTimeout: durations[2], policy: try policy())
        problems += configuration.problems
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
        return configuration
    }

    func validate() throws {
        _ = try policy()
        _ = try sshConfiguration()
    }

    /// The driver `run` pushes with: SSH, or dry-run (reading from the tap when `--tap-host` is set);
    /// `nil` when there is no tap and no dry run.
    func makeDriver(logger: Logger) throws -> (any TapDriver)? {
        let ssh = try sshConfiguration().map { SSHTapDriver(configuration: $0, logger: logger) }
        if dryRun { return DryRunTapDriver(reader: ssh, policy: try policy(), logger: logger) }
        return ssh
    }
}
