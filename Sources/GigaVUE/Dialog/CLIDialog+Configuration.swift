import TroxileiaCore

extension CLIDialog {
    /// Secrets and limits of one dialog.
    public struct Configuration: Sendable {
        /// Answers `Password:` after `enable`; `nil` makes that prompt fail with `.enablePasswordRequired`.
        public var enablePassword: SecretText?
        /// The longest wait for one command's prompt (default 30 s).
        public var commandTimeout: Duration
        /// The longest wait for the first prompt after the shell opens (default 10 s).
        public var loginTimeout: Duration
        /// After this long without a byte, a last line that looks like a prompt but is none we know
        /// fails the dialog as `.unexpectedPrompt` instead of waiting for the timeout (default 3 s).
        public var quietPeriod: Duration
        /// The most raw bytes one answer may take (default `TerminalText.defaultLimit`, 4 MiB).
        public var outputLimit: Int

        /// The defaults above, with an optional enable password.
        public init(enablePassword: SecretText? = nil, commandTimeout: Duration = .seconds(30),
                    loginTimeout: Duration = .seconds(10), quietPeriod: Duration = .seconds(3),
                    outputLimit: Int = TerminalText.defaultLimit) {
            self.enablePassword = enablePassword
            self.commandTimeout = commandTimeout
            self.loginTimeout = loginTimeout
            self.quietPeriod = quietPeriod
            self.outputLimit = outputLimit
        }
    }

    /// What the caller must do after an event, in order.
    public enum Action: Equatable, Sendable, CustomStringConvertible {
        /// Write this text to the channel as is (a command line ends in `\n`; a pager answer is `" "`).
        case send(String)
        /// Write `secret.revealed` followed by `\n`. Kept apart from `.send` so that printing or
        /// logging an action can never show the enable password.
        case sendSecret(SecretText)
        /// One of the caller's commands got its prompt back: the device's answer and the time it took.
        /// The caller decides what a `%` error means (`TapCommand.toleratesError`).
        case commandFinished(TapCommand, CLIResponse, Duration)
        /// The dialog stopped; later events do nothing.
        case failed(DialogError)
        /// Every command ran; later events do nothing.
        case done

        /// The action as a person reads it; a secret prints as `<redacted>`.
        public var description: String {
            switch self {
            case .send(let text): "send \(text.debugDescription)"
            case .sendSecret(let secret): "send \(secret)"
            case .commandFinished(let command, let response, let duration):
                "finished '\(command)' in \(duration): \(response)"
            case .failed(let error): "failed: \(error)"
            case .done: "done"
            }
        }
    }

    /// The setup commands of gigavue-cli.md "Session", steps 3–5.
    enum Setup {
        static let enable = "enable"
        static let pagingLength = "cli session terminal length 999"
        static let pagingLegacy = "no cli session paging enable"
        static let configure = "configure terminal"
        /// How the enable password appears in the transcript and errors.
        static let passwordLabel = "<redacted>"
    }
}
