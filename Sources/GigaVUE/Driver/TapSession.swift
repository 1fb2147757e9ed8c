import Logging
import TroxileiaCore

/// One SSH shell session with the tap, opened and used on a session thread: TCP connect, key exchange,
/// host-key check (before any credential leaves), login, PTY shell, then the CLI dialog.
///
/// Everything it owns is freed when it goes away: the channel, then the session (which says goodbye
/// to the device, bounded to a second), then the socket.
final class TapSession {
    let shell: CLIShell
    /// The session's cancellation (the plan defers it).
    let cancellation: CancellationSignal
    /// Keeps the channel (and through it the session and socket) alive as long as the shell.
    private let channel: SSHChannel

    /// Opens a session under `configuration`, reading the secret files now.
    /// - Throws: every `TapError` of connecting and logging in; the dialog's login errors come with the
    ///   first `shell.run(_:)`.
    init(_ configuration: SSHTapDriver.Configuration, cancellation: CancellationSignal, pushDeadline: Deadline,
         logger: Logger) throws(TapError) {
        self.cancellation = cancellation
        let credentials = try Self.credentials(configuration)
        let enablePassword = try configuration.enablePasswordFile.map { (path) throws(TapError) in
            try SecretFile.read(path, flag: "--tap-enable-password-file")
        }
        let host = configuration.host
        let port = configuration.sshPort
        // One budget for TCP, key exchange, login and the shell (--tap-connect-timeout), each stage named.
        let connectDeadline = Deadline("connect", budget: configuration.connectTimeout)
            .capped(by: pushDeadline.renamed("push to the tap"))
        func deadline(_ stage: String) -> Deadline {
            connectDeadline.stage == "connect" ? connectDeadline.renamed(stage) : connectDeadline
        }
        let connection = try TCPConnection.connect(host: host, port: port, deadline: deadline("connect to \(host):\(port)"),
                                                   cancellation: cancellation)
        let session = try SSHSession(connection: connection)
        try session.handshake(deadline("complete the SSH key exchange with \(host):\(port)"))
        let fingerprint = try session.verifyHostKey(configuration.hostKey, host: host, port: port)
        if case .insecureSkipVerification = configuration.hostKey {
            logger.warning("tap host key not verified (--tap-insecure-skip-host-key-verification)",
                           metadata: ["tap.host": "\(host)", "tap.host_key": "\(fingerprint)"])
        }
        try session.authenticate(credentials, deadline("log in to the tap as \(configuration.user)"))
        channel = try SSHChannel(session: session, deadline("open a shell on the tap"))
        let dialog = CLIDialog.Configuration(enablePassword: enablePassword, commandTimeout: configuration.commandTimeout,
                                             loginTimeout: configuration.connectTimeout)
        shell = CLIShell(channel: channel, configuration: dialog, pushDeadline: pushDeadline)
    }

    /// Reads `show running-config` for what we manage and, with `listPorts`, `show port` for the
    /// chassis ports (issue 15; a device that refuses `show port` leaves `portListing` nil).
    func read(policy: TapPolicy, listPorts: Bool = false) throws(TapError) -> TapReading {
        let exchanges = try shell.run(listPorts ? [.showRunningConfig, .showPort] : [.showRunningConfig])
        let text = exchanges.first?.response.text ?? ""
        let parsed = RunningConfig(parsing: text, configuration: policy.plan)
        let listing = exchanges.dropFirst().first.flatMap { $0.response.isSuccess ? PortListing(parsing: $0.response.text) : nil }
        return TapReading(configuration: parsed.managed, sourceGroupPorts: parsed.sourceGroupPorts,
                          warnings: parsed.warnings, portListing: listing, transcript: shell.transcript)
    }

    /// The device's own answers about ports its listing lacks (`% Port … does not exist`), at most
    /// `limit` of them (one `show port port-list P` each).
    func deviceAnswers(for ports: [TapPort], limit: Int = 8) throws(TapError) -> [TapPort: String] {
        let asked = Array(ports.prefix(limit))
        guard !asked.isEmpty else { return [:] }
        let exchanges = try shell.run(asked.map(TapCommand.showPort))
        var answers: [TapPort: String] = [:]
        for (port, exchange) in zip(asked, exchanges) {
            if let text = exchange.response.deviceError { answers[port] = text }
        }
        return answers
    }

    private static func credentials(_ configuration: SSHTapDriver.Configuration) throws(TapError) -> SSHCredentials {
        let password = try configuration.passwordFile.map { (path) throws(TapError) in
            try SecretFile.read(path, flag: "--tap-password-file")
        }
        if let keyFile = configuration.keyFile {
            // Checked here: libssh2 would report a missing key as a refused method and fall back to the password.
            try SecretFile.checkReadable(keyFile, flag: "--tap-key-file", limit: SecretFile.sizeLimit)
        }
        let passphrase = try configuration.keyPassphraseFile.map { (path) throws(TapError) in
            try SecretFile.read(path, flag: "--tap-key-passphrase-file")
        }
        return SSHCredentials(user: configuration.user, password: password, keyFile: configuration.keyFile,
                              keyPassphrase: passphrase)
    }
}
