import TroxileiaCore

/// Why reading or changing the tap failed: the one error a `TapDriver` throws (STYLE.md "Errors and
/// messages"). Every case names the step and carries the device's or the library's own text; no case
/// ever holds a password, passphrase or key.
public enum TapError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A setting is unusable (a secret file, a fingerprint, a port list). Raised before any connection.
    case invalidConfiguration(String)
    /// No TCP connection to `host:port`: refused, unreachable, no address, or no answer in time.
    case connectFailed(host: String, port: Int, reason: String)
    /// The overall or stage deadline passed (`stage`: connect, handshake, authenticate, open the shell,
    /// the whole push) after `after`.
    case timedOut(stage: String, after: Duration)
    /// libssh2 failed in `stage` with its own message and code.
    case sshFailed(stage: String, code: Int32, message: String)
    /// The peer closed the connection or the channel during `stage`.
    case connectionLost(stage: String)
    /// The host key differs from the pinned fingerprint or from the known_hosts entry for the host.
    /// Checked before any credential is sent.
    case hostKeyMismatch(host: String, expected: String, presented: String)
    /// known_hosts has no entry for the host (or none of its key type).
    case hostKeyUnknown(host: String, presented: String, knownHostsFile: String)
    /// No configured method was accepted; `offered` lists what the server allows.
    case authenticationFailed(user: String, tried: [String], offered: [String])
    /// The CLI conversation stopped (timeout, unknown prompt, forced password change, enable failed).
    case dialog(DialogError)
    /// The device answered one of our configuration lines with a `%` error. Not raised for `no …`
    /// deletions (gigavue-cli.md: the object was already gone).
    case commandRejected(command: String, deviceText: String)
    /// A configured alias the device would refuse (1–128 characters, none of `\ / : , ? % " *` or space).
    case invalidAlias(alias: String, problem: String)
    /// A port list (`--tool-ports`) that cannot be read.
    case invalidPortList(PortList.Problem)
    /// These ports belong to the source port group: making them tool ports would cut the network
    /// traffic the map reads. Refused before any command (DESIGN.md "Safety"). Ports sorted.
    case portsInSourceGroup([TapPort], group: AliasName)
    /// These ports are outside `--tool-ports`. Refused before any command. Ports sorted.
    case portsNotAllowed([TapPort], allowed: ToolPortSet)
    /// Our map holds lines we don't write; it is replaced only with `--adopt-existing-map`.
    case foreignMapLines(map: String, lines: [String])
    /// After a push, `show running-config` still differs from what the plan makes.
    case verificationFailed(expected: [TapPort], actual: [TapPort], detail: String)
    /// The caller cancelled the operation (shutdown, lost leadership); the session was closed.
    case cancelled

    /// "failed to …: cause; what to do".
    public var description: String {
        switch self {
        case .invalidConfiguration(let text):
            "invalid tap configuration: \(text)"
        case .connectFailed(let host, let port, let reason):
            "failed to connect to the tap at \(host):\(port): \(reason)"
        case .timedOut(let stage, let after):
            "failed to \(stage): timed out after \(after)"
        case .sshFailed(let stage, let code, let message):
            "failed to \(stage): \(message) (libssh2 error \(code))"
        case .connectionLost(let stage):
            "failed to \(stage): the tap closed the connection"
        case .hostKeyMismatch(let host, let expected, let presented):
            "refused the tap's host key: \(host) presented \(presented), expected \(expected); "
                + "if the tap's key really changed, update --tap-known-hosts or --tap-host-key-sha256"
        case .hostKeyUnknown(let host, let presented, let file):
            "refused the tap's host key: \(file) has no key for \(host) (it presented \(presented)); "
                + "add the tap's key to that file (ssh-keyscan, checked against the device console)"
        case .authenticationFailed(let user, let tried, let offered):
            "failed to log in to the tap as \(user): tried \(Self.list(tried)), the tap offers \(Self.list(offered)); "
                + "check the password or key files"
        case .dialog(let error):
            error.description
        case .commandRejected(let command, let text):
            "failed to run '\(command)' on the tap: the device answered: \(text)"
        case .invalidAlias(let alias, let problem):
            "invalid alias \"\(alias)\": \(problem)"
        case .invalidPortList(let problem):
            problem.description
        case .portsInSourceGroup(let ports, let group):
            "failed to plan the tap configuration: port(s) \(Self.names(ports)) belong to the source port group \(group.value), "
                + "which carries the network traffic; fix the port label of the node(s) cabled to them"
        case .portsNotAllowed(let ports, let allowed):
            "failed to plan the tap configuration: port(s) \(Self.names(ports)) are outside --tool-ports (\(allowed.count) allowed); "
                + "fix the node's port label or extend --tool-ports"
        case .foreignMapLines(let map, let lines):
            "refused to replace map \(map): it holds lines Troxileia does not manage (\(lines.joined(separator: "; "))); "
                + "move them to another map or start with --adopt-existing-map"
        case .verificationFailed(let expected, let actual, let detail):
            "failed to verify the push: the tap sends to \(Self.ports(actual)) instead of \(Self.ports(expected)) (\(detail))"
        case .cancelled:
            "the tap operation was cancelled"
        }
    }

    private static func names(_ ports: [TapPort]) -> String {
        ports.map(\.cliName).joined(separator: ", ")
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "nothing" : items.joined(separator: ", ")
    }

    private static func ports(_ ports: [TapPort]) -> String {
        ports.isEmpty ? "no port" : PortList.cliText(ports)
    }
}
