import TroxileiaCore

/// The CLI conversation of one SSH shell session, as a pure state machine (STYLE.md "State machines are
/// structs"): feed it the bytes read from the channel and the clock, write what it asks. No I/O, no sleep.
///
/// Script (gigavue-cli.md "Session"): wait for the user prompt (a banner may come first) → `enable`
/// (answering `Password:` with the enable password) → paging off with `cli session terminal length 999`,
/// or `no cli session paging enable` when the device answers the first with `%` → `configure terminal`
/// → the caller's commands one at a time → `.done`. A `--More--` is answered with a space and the output
/// continues. A `%` on `enable` or `configure terminal` fails the dialog; on the caller's commands it
/// is reported in `.commandFinished` and the dialog goes on. Timeouts come only from `tick(now:)` and
/// `received(bytes:now:)`, with instants the caller passes in.
public struct CLIDialog: Sendable {
    /// Where the script stands (internal: the step helpers live in CLIDialog+Steps.swift).
    enum Step: Equatable, Sendable {
        case login
        case enable
        case enablePassword
        case pagingLength
        case pagingLegacy
        case configure
        case command(Int)
    }

    /// Running a step since an instant; idle at a configure-mode prompt after `.done`, waiting for
    /// `append(_:now:)`; or finished after `.failed`.
    enum State: Sendable {
        case running(Step, sentAt: ContinuousClock.Instant)
        case idle
        case finished
    }

    /// The caller's commands, sent in configure mode in order (`append(_:now:)` adds more).
    public private(set) var commands: [TapCommand]
    /// Secrets and limits.
    public let configuration: Configuration
    /// Every exchange so far (never the enable password).
    public internal(set) var transcript = DialogTranscript()
    /// Prompt recognition, with the hostname learned at login.
    public private(set) var matcher = PromptMatcher()
    var state: State
    var buffer: TerminalText
    /// Output before a `--More--`, kept while the pager is answered (the buffer restarts after it).
    var pagedText = ""
    let startedAt: ContinuousClock.Instant
    private var lastReceivedAt: ContinuousClock.Instant

    /// A dialog that starts waiting for the login prompt at `now`.
    public init(commands: [TapCommand], configuration: Configuration = Configuration(),
                now: ContinuousClock.Instant) {
        self.commands = commands
        self.configuration = configuration
        self.state = .running(.login, sentAt: now)
        self.buffer = TerminalText(limit: configuration.outputLimit)
        self.startedAt = now
        self.lastReceivedAt = now
    }

    /// Whether no step is running: `.done` (idle, `append(_:now:)` may go on) or `.failed` was returned.
    public var isFinished: Bool {
        if case .running = state { return false }
        return true
    }

    /// Whether the dialog failed; later events and appends do nothing.
    public var hasFailed: Bool {
        if case .finished = state { return true }
        return false
    }

    /// More commands for a dialog that returned `.done`, so one session can read the device, decide
    /// and then change it. Sends the first; `.done` follows the last again. Does nothing (returns `[]`)
    /// while a step is running or after `.failed`.
    public mutating func append(_ more: [TapCommand], now: ContinuousClock.Instant) -> [Action] {
        guard case .idle = state else { return [] }
        let first = commands.count
        commands += more
        return sendCommand(first, now)
    }

    /// Bytes read from the channel, in any split.
    public mutating func received(bytes: some Collection<UInt8>, now: ContinuousClock.Instant) -> [Action] {
        guard case .running(let step, let sentAt) = state else { return [] }
        lastReceivedAt = now
        do {
            try buffer.append(bytes)
        } catch {
            return fail(.outputTooLarge(command: label(step), limit: error.limit), step, sentAt, now)
        }
        return evaluate(step, sentAt, now)
    }

    /// The clock moved: fails the dialog on a timeout, or on an unknown prompt after a quiet period.
    public mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        guard case .running(let step, let sentAt) = state else { return [] }
        let limit = step == .login ? configuration.loginTimeout : configuration.commandTimeout
        let waited = sentAt.duration(to: now)
        if waited >= limit {
            return fail(.timeout(command: label(step), waited: waited), step, sentAt, now)
        }
        let lastLine = buffer.lastLine
        if lastReceivedAt.duration(to: now) >= configuration.quietPeriod, PromptMatcher.looksLikePrompt(lastLine) {
            return fail(.unexpectedPrompt(command: label(step), prompt: String(lastLine.trimmingSpaces)),
                        step, sentAt, now)
        }
        return []
    }

    private mutating func evaluate(_ step: Step, _ sentAt: ContinuousClock.Instant,
                                   _ now: ContinuousClock.Instant) -> [Action] {
        let lastLine = buffer.lastLine
        switch matcher.match(lastLine) {
        case nil:
            return []
        case .pager?:
            // Keep what came before the marker; the device erases the marker itself after our space.
            let text = buffer.text
            pagedText += text.firstRange(of: "--More--").map { String(text[..<$0.lowerBound]) } ?? text
            buffer.clearText()
            return [.send(" ")]
        case .confirmation(let prompt)?:
            return fail(.unexpectedConfirmation(command: label(step), prompt: prompt), step, sentAt, now)
        case .passwordChange(let prompt)?:
            return fail(.passwordChangeRequired(prompt: prompt), step, sentAt, now)
        case .password?:
            return answerPassword(step, sentAt, now)
        case .cli(let mode)?:
            let response = finishStep(step, sentAt, now)
            return advance(from: step, mode: mode, response: response, duration: sentAt.duration(to: now), now)
        }
    }

    private mutating func answerPassword(_ step: Step, _ sentAt: ContinuousClock.Instant,
                                         _ now: ContinuousClock.Instant) -> [Action] {
        switch step {
        case .enable:
            guard let password = configuration.enablePassword else {
                return fail(.enablePasswordRequired, step, sentAt, now)
            }
            _ = finishStep(step, sentAt, now)
            state = .running(.enablePassword, sentAt: now)
            return [.sendSecret(password)]
        case .enablePassword:
            return fail(.enablePasswordRejected, step, sentAt, now)
        default:
            return fail(.unexpectedPrompt(command: label(step), prompt: "Password:"), step, sentAt, now)
        }
    }

    private mutating func advance(from step: Step, mode: CLIMode, response: CLIResponse,
                                  duration: Duration, _ now: ContinuousClock.Instant) -> [Action] {
        let command = label(step) ?? ""
        switch step {
        case .login:
            // An account may land in enable mode directly; then `enable` is skipped.
            switch mode {
            case .user: return send(Setup.enable, as: .enable, now)
            case .enable: return send(Setup.pagingLength, as: .pagingLength, now)
            default: return failed(.unexpectedMode(command: "log in", expected: .user, actual: mode))
            }
        case .enable, .enablePassword:
            if let text = response.deviceError { return failed(.commandRejected(command: Setup.enable, deviceText: text)) }
            if mode == .user, step == .enablePassword { return failed(.enablePasswordRejected) }
            guard mode == .enable else { return failed(.unexpectedMode(command: command, expected: .enable, actual: mode)) }
            return send(Setup.pagingLength, as: .pagingLength, now)
        case .pagingLength:
            // Releases differ: accept whichever paging command the device takes (gigavue-cli.md step 4).
            if response.isSuccess { return send(Setup.configure, as: .configure, now) }
            return send(Setup.pagingLegacy, as: .pagingLegacy, now)
        case .pagingLegacy:
            // Even when both are refused the dialog goes on: a `--More--` is still answered.
            return send(Setup.configure, as: .configure, now)
        case .configure:
            if let text = response.deviceError { return failed(.commandRejected(command: command, deviceText: text)) }
            guard mode == .config else { return failed(.unexpectedMode(command: command, expected: .config, actual: mode)) }
            return sendCommand(0, now)
        case .command(let index):
            return [.commandFinished(commands[index], response, duration)] + sendCommand(index + 1, now)
        }
    }
}
