import TroxileiaCore

/// A `CLIDialog` driven over an SSH shell channel, on the session's thread: what the device prints is
/// fed to the dialog, what the dialog asks is written, the clock ticks while the device is silent.
///
/// The dialog logs in and reaches configure mode before the first `run(_:)` returns; each `run(_:)`
/// then sends its commands in order and returns their answers. A `%` answer to a command that does
/// not tolerate errors stops the run at once: nothing after it is sent.
final class CLIShell {
    /// One command and the device's answer.
    typealias Exchange = (command: TapCommand, response: CLIResponse)

    private let channel: SSHChannel
    private var dialog: CLIDialog
    private let pushDeadline: Deadline
    private var buffer = [UInt8](repeating: 0, count: 16 * 1024)
    /// `%` answers to `no …` lines, which mean the object was already gone (gigavue-cli.md).
    private(set) var toleratedErrors: [Exchange] = []
    /// Every configure-mode line answered so far, with the instant of its answer (`DarkTime`).
    private(set) var steps: [DarkTime.Step] = []
    /// How often a silent device is re-checked for timeouts and unknown prompts.
    static let tickInterval: Duration = .milliseconds(100)

    /// Starts the dialog on an open shell channel; the login runs in the first `run(_:)`.
    init(channel: SSHChannel, configuration: CLIDialog.Configuration, pushDeadline: Deadline) {
        self.channel = channel
        self.dialog = CLIDialog(commands: [], configuration: configuration, now: .now)
        self.pushDeadline = pushDeadline
    }

    /// Everything said so far (never a secret).
    var transcript: DialogTranscript { dialog.transcript }

    /// Sends `commands` in configure mode (logging in first if needed) and returns their answers.
    /// - Throws: `.commandRejected` for a `%` answer to a command that does not tolerate it,
    ///   `.dialog` when the conversation fails, `.connectionLost`, the push deadline's `.timedOut`,
    ///   `.cancelled`.
    func run(_ commands: [TapCommand]) throws(TapError) -> [Exchange] {
        try run(commands, throwOnRejection: true)
    }

    /// Sends `commands` one at a time and stops at the first `%` answer to a line that does not
    /// tolerate it, returning it instead of throwing (the in-place plan falls back on it). The session
    /// stays usable. Throws what `run(_:)` throws for anything but a rejected line.
    func attempt(_ commands: [TapCommand]) throws(TapError) -> (exchanges: [Exchange], rejected: Exchange?) {
        var exchanges: [Exchange] = []
        for command in commands {
            let answers = try run([command], throwOnRejection: false)
            exchanges += answers
            if let last = answers.last, last.response.deviceError != nil, !last.command.toleratesError {
                return (exchanges, last)
            }
        }
        return (exchanges, nil)
    }

    private func run(_ commands: [TapCommand], throwOnRejection: Bool) throws(TapError) -> [Exchange] {
        if !dialog.isFinished {
            _ = try drive([])  // the login and setup, up to the configure prompt
        }
        return try drive(dialog.append(commands, now: .now), throwOnRejection: throwOnRejection)
    }

    /// Carries out `actions`, then reads and ticks until the dialog is done or fails.
    private func drive(_ actions: [CLIDialog.Action], throwOnRejection: Bool = true) throws(TapError) -> [Exchange] {
        var pending = actions
        var exchanges: [Exchange] = []
        while true {
            for action in pending {
                switch action {
                case .send(let text):
                    try channel.write(text, writeDeadline())
                case .sendSecret(let secret):
                    try channel.write(secret.revealed + "\n", writeDeadline())
                case .commandFinished(let command, let response, _):
                    steps.append(DarkTime.Step(command: command, answeredAt: .now, accepted: response.isSuccess))
                    if let text = response.deviceError {
                        guard command.toleratesError || !throwOnRejection else {
                            throw .commandRejected(command: command.text, deviceText: text)
                        }
                        if command.toleratesError { toleratedErrors.append((command, response)) }
                    }
                    exchanges.append((command, response))
                case .failed(let error):
                    throw .dialog(error)
                case .done:
                    return exchanges
                }
            }
            pending = try nextActions()
        }
    }

    /// The dialog's answer to new output, or to the clock after a quiet wait.
    private func nextActions() throws(TapError) -> [CLIDialog.Action] {
        let stage = "read the tap's answer"
        let count = try channel.readAvailable(into: &buffer, stage: stage)
        if count > 0 {
            return dialog.received(bytes: buffer[..<count], now: .now)
        }
        let wake = Deadline(stage, budget: Self.tickInterval).capped(by: pushDeadline)
        do throws(TapError) {
            try channel.session.waitForSocket(wake)
        } catch {
            // A tick with no data is the normal case; only the push deadline ends the session here.
            guard case .timedOut = error, wake.instant < pushDeadline.instant else { throw error }
        }
        return dialog.tick(now: .now)
    }

    private func writeDeadline() -> Deadline {
        Deadline("send a command to the tap", budget: dialog.configuration.commandTimeout).capped(by: pushDeadline)
    }
}
