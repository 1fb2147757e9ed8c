import TroxileiaCore

/// The bookkeeping shared by the event methods of `CLIDialog`: closing a step into the transcript,
/// sending the next line, failing.
extension CLIDialog {
    /// The step's command as shown in errors and the transcript; `nil` for the login. The enable
    /// password step shows `<redacted>`, never the secret.
    func label(_ step: Step) -> String? {
        switch step {
        case .login: nil
        case .enable: Setup.enable
        case .enablePassword: Setup.passwordLabel
        case .pagingLength: Setup.pagingLength
        case .pagingLegacy: Setup.pagingLegacy
        case .configure: Setup.configure
        case .command(let index): commands[index].text
        }
    }

    /// Closes `step` at a prompt: the answer without the echoed command and the prompt line, recorded
    /// in the transcript; the buffer restarts for the next command.
    mutating func finishStep(_ step: Step, _ sentAt: ContinuousClock.Instant,
                             _ now: ContinuousClock.Instant) -> CLIResponse {
        var lines = (pagedText + buffer.text).split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // the prompt
        // The device echoes what we type; the first line is that echo (sometimes redrawn after the
        // prompt, so only its end is compared). Without an echo, every line is kept.
        if step != .login, step != .enablePassword, let command = label(step),
           let first = lines.first, first.trimmingSpaces.hasSuffix(command) {
            lines.removeFirst()
        }
        let response = CLIResponse(output: lines.joined(separator: "\n"))
        record(step, response.text, sentAt, now, finished: true)
        buffer.reset()
        pagedText = ""
        return response
    }

    /// Sends `line` as the command of `step`, starting its timeout at `now`.
    mutating func send(_ line: String, as step: Step, _ now: ContinuousClock.Instant) -> [Action] {
        state = .running(step, sentAt: now)
        return [.send(line + "\n")]
    }

    /// Sends the caller's command at `index`, or goes idle after the last one.
    mutating func sendCommand(_ index: Int, _ now: ContinuousClock.Instant) -> [Action] {
        guard index < commands.count else {
            state = .idle
            return [.done]
        }
        return send(commands[index].text, as: .command(index), now)
    }

    /// Fails in the middle of `step`: what had arrived goes to the transcript as unfinished.
    mutating func fail(_ error: DialogError, _ step: Step, _ sentAt: ContinuousClock.Instant,
                       _ now: ContinuousClock.Instant) -> [Action] {
        record(step, pagedText + buffer.text, sentAt, now, finished: false)
        return failed(error)
    }

    /// Fails after the current step was already recorded.
    mutating func failed(_ error: DialogError) -> [Action] {
        state = .finished
        return [.failed(error)]
    }

    private mutating func record(_ step: Step, _ response: String, _ sentAt: ContinuousClock.Instant,
                                 _ now: ContinuousClock.Instant, finished: Bool) {
        transcript.record(.init(command: label(step), response: response,
                                startedAfter: startedAt.duration(to: sentAt),
                                duration: sentAt.duration(to: now), finished: finished))
    }
}
