/// Why a CLI dialog stopped (gigavue-cli.md "Session"), carried by `CLIDialog.Action.failed` and
/// `TapError.dialog` (the module's one error type). Every case names the step it happened in and
/// carries the device's own text where there is one; no case ever holds the enable password.
public enum DialogError: Hashable, Sendable, CustomStringConvertible {
    /// No prompt within `waited`. `command` is `nil` while waiting for the first (login) prompt.
    case timeout(command: String?, waited: Duration)
    /// The device answered a setup command (`enable`, `configure terminal`) with a `%` line.
    case commandRejected(command: String, deviceText: String)
    /// A setup command brought the wrong prompt, e.g. `enable` left us in user mode.
    case unexpectedMode(command: String, expected: CLIMode, actual: CLIMode)
    /// The device asked `Password:` after `enable` and no enable password is configured.
    case enablePasswordRequired
    /// The device asked `Password:` again after we answered: the enable password is wrong.
    case enablePasswordRejected
    /// The device wants the password changed before anything else (gigavue-cli.md: a first login may
    /// force it). Carries the prompt line.
    case passwordChangeRequired(prompt: String)
    /// The device asked a yes/no question; we never answer one (gigavue-cli.md: `write memory` asks
    /// none). `command` is `nil` during login.
    case unexpectedConfirmation(command: String?, prompt: String)
    /// The device stopped at a prompt we do not know, or asked for a password at the wrong time.
    case unexpectedPrompt(command: String?, prompt: String)
    /// The answer to `command` exceeded `limit` bytes (an endless or runaway stream).
    case outputTooLarge(command: String?, limit: Int)

    /// "failed to …: cause" (STYLE.md "Errors and messages").
    public var description: String {
        switch self {
        case .timeout(let command, let waited):
            "failed to \(Self.step(command)): no prompt after \(waited)"
        case .commandRejected(let command, let text):
            "failed to run '\(command)': the device answered: \(text)"
        case .unexpectedMode(let command, let expected, let actual):
            "failed to run '\(command)': expected \(expected), the device is in \(actual)"
        case .enablePasswordRequired:
            "failed to enter enable mode: the device asks for an enable password and none is configured"
        case .enablePasswordRejected:
            "failed to enter enable mode: the device rejected the enable password"
        case .passwordChangeRequired(let prompt):
            "failed to log in: the device demands a password change ('\(prompt)'); "
                + "change it on the device by hand, then update the configured password"
        case .unexpectedConfirmation(let command, let prompt):
            "failed to \(Self.step(command)): the device asks a question we never answer: '\(prompt)'"
        case .unexpectedPrompt(let command, let prompt):
            "failed to \(Self.step(command)): the device waits at an unknown prompt: '\(prompt)'"
        case .outputTooLarge(let command, let limit):
            "failed to \(Self.step(command)): the answer exceeded \(limit) bytes"
        }
    }

    private static func step(_ command: String?) -> String {
        command.map { "run '\($0)'" } ?? "wait for the login prompt"
    }
}
