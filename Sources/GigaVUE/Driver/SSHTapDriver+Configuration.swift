extension SSHTapDriver {
    /// How to reach and log in to the tap (DESIGN.md configuration table, `--tap-*`).
    public struct Configuration: Hashable, Sendable {
        /// `--tap-host`: name or address of the tap's management interface. Required.
        public var host: String
        /// `--tap-ssh-port`, default 22. ("Tap port" always means a port like `1/1/x1`; this is SSH's.)
        public var sshPort: Int
        /// `--tap-user`, default `admin` (the device's factory account).
        public var user: String
        /// `--tap-password-file`: for password and keyboard-interactive login.
        public var passwordFile: String?
        /// `--tap-key-file`: a private key, tried before the password.
        public var keyFile: String?
        /// `--tap-key-passphrase-file`.
        public var keyPassphraseFile: String?
        /// `--tap-enable-password-file`: answers `Password:` after `enable` (gigavue-cli.md step 3).
        public var enablePasswordFile: String?
        /// One of `--tap-known-hosts`, `--tap-host-key-sha256`, `--tap-insecure-skip-host-key-verification`.
        public var hostKey: HostKeyPolicy
        /// `--tap-connect-timeout`, default 10 s: TCP, key exchange, login and the first prompt.
        public var connectTimeout: Duration
        /// `--tap-command-timeout`, default 30 s: the longest wait for one command's prompt
        /// (`write memory` on a loaded device takes seconds).
        public var commandTimeout: Duration
        /// `--tap-push-timeout`, default 2 min: the whole session, read, plan and read-back.
        public var pushTimeout: Duration
        /// The plan's aliases and switches, `--tool-ports` and `--adopt-existing-map`.
        public var policy: TapPolicy

        /// A configuration with DESIGN.md's defaults for everything but the host and host-key policy.
        public init(host: String, sshPort: Int = 22, user: String = "admin", passwordFile: String? = nil,
                    keyFile: String? = nil, keyPassphraseFile: String? = nil, enablePasswordFile: String? = nil,
                    hostKey: HostKeyPolicy, connectTimeout: Duration = .seconds(10),
                    commandTimeout: Duration = .seconds(30), pushTimeout: Duration = .seconds(120),
                    policy: TapPolicy = TapPolicy()) {
            self.host = host
            self.sshPort = sshPort
            self.user = user
            self.passwordFile = passwordFile
            self.keyFile = keyFile
            self.keyPassphraseFile = keyPassphraseFile
            self.enablePasswordFile = enablePasswordFile
            self.hostKey = hostKey
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.pushTimeout = pushTimeout
            self.policy = policy
        }

        /// Problems a person must fix before the driver can work, each one line; empty when usable.
        /// Checked at startup so a bad setting is one clear error, not a failed push later.
        public var problems: [String] {
            var problems: [String] = []
            if host.isEmpty || host.contains(where: { $0.isWhitespace || $0.isNewline }) {
                problems.append("--tap-host must be a host name or address, got \"\(host)\"")
            }
            if !(1...65_535).contains(sshPort) { problems.append("--tap-ssh-port must be 1–65535, got \(sshPort)") }
            if user.isEmpty || user.contains(where: { $0.isWhitespace || $0.isNewline }) {
                problems.append("--tap-user must be a user name without spaces")
            }
            if passwordFile == nil && keyFile == nil {
                problems.append("set --tap-password-file or --tap-key-file to log in to the tap")
            }
            if keyPassphraseFile != nil && keyFile == nil {
                problems.append("--tap-key-passphrase-file needs --tap-key-file")
            }
            for (name, value) in [("--tap-connect-timeout", connectTimeout), ("--tap-command-timeout", commandTimeout),
                                  ("--tap-push-timeout", pushTimeout)] where value <= .zero {
                problems.append("\(name) must be positive")
            }
            if pushTimeout < connectTimeout { problems.append("--tap-push-timeout must not be shorter than --tap-connect-timeout") }
            return problems
        }
    }
}
