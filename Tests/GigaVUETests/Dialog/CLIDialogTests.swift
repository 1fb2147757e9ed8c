import GigaVUE
import Testing
import TroxileiaCore

@Suite struct CLIDialogTests {
    typealias H = DialogHarness
    static let commands: [TapCommand] = [.deleteMap(.defaultMap), .deleteGigaStream(.defaultGigaStream), .writeMemory]

    @Test(arguments: [false, true])
    func runsAFullSessionFromBannerToDone(singleBytes: Bool) {
        var h = H(commands: Self.commands, singleBytes: singleBytes)
        h.device("\u{1B}[2J\u{1B}[H")
        h.device("GigaVUE-OS\n# Authorized use only #\n")
        h.reachConfigMode()
        h.answer("no map-passall alias sensor_map", prompt: H.configPrompt)
        h.answer("no gigastream alias sensor_stream", prompt: H.configPrompt)
        let last = h.answer("write memory", prompt: H.configPrompt)
        #expect(h.sent == ["enable\n", "cli session terminal length 999\n", "configure terminal\n",
                           "no map-passall alias sensor_map\n", "no gigastream alias sensor_stream\n", "write memory\n"])
        #expect(last.last == .done)
        #expect(h.dialog.isFinished)
        let finished = h.actions.compactMap { if case .commandFinished(let c, let r, _) = $0 { (c, r) } else { nil } }
        #expect(finished.map(\.0) == Self.commands)
        #expect(finished.allSatisfy { $0.1.outcome == .success })
        #expect(h.dialog.matcher.hostname == H.host)
        #expect(h.dialog.transcript.entries.map(\.command) == [nil, "enable", "cli session terminal length 999",
                                                              "configure terminal"] + Self.commands.map(\.text))
        #expect(h.dialog.transcript.entries.allSatisfy { $0.finished })
        #expect(h.dialog.transcript.entries[0].response.contains("Authorized use only"))
        #expect(h.advance(.seconds(60)).isEmpty)
        #expect(h.device("more").isEmpty)
    }

    @Test func goesOnWithAppendedCommandsAfterDone() {
        var h = H(commands: [.showRunningConfig])
        h.reachConfigMode()
        h.answer("show running-config", output: "gigastream alias sensor_stream port-list 1/1/x1,1/1/x2\n", prompt: H.configPrompt)
        #expect(h.actions.last == .done)
        #expect(h.dialog.isFinished && !h.dialog.hasFailed)
        #expect(h.advance(.seconds(60)).isEmpty, "an idle dialog has no timeout")
        let next = h.dialog.append([.writeMemory], now: h.now)
        #expect(next == [.send("write memory\n")])
        #expect(!h.dialog.isFinished)
        #expect(h.answer("write memory", prompt: H.configPrompt).last == .done)
        #expect(h.dialog.commands == [.showRunningConfig, .writeMemory])
    }

    @Test func ignoresAppendsWhileRunningOrAfterFailing() {
        var h = H(commands: [.writeMemory])
        #expect(h.dialog.append([.exit], now: h.now).isEmpty, "still logging in")
        h.advance(.seconds(11))
        #expect(h.dialog.hasFailed)
        #expect(h.dialog.append([.exit], now: h.now).isEmpty)
    }

    @Test func endsAtOnceWithoutCommands() {
        var h = H(commands: [])
        h.reachConfigMode()
        #expect(h.actions.last == .done)
    }

    @Test func answersTheEnablePasswordAndNeverRecordsIt() {
        let secret = "s3cr3t-Enable!"
        var h = H(commands: [.writeMemory], configuration: .init(enablePassword: SecretText(secret)))
        h.device(H.userPrompt)
        #expect(h.answer("enable", prompt: "Password: ") == [.sendSecret(SecretText(secret))])
        h.device("\n" + H.enablePrompt)
        h.answer("cli session terminal length 999", prompt: H.enablePrompt)
        h.answer("configure terminal", prompt: H.configPrompt)
        h.answer("write memory", prompt: H.configPrompt)
        #expect(h.actions.last == .done)
        #expect(h.dialog.transcript.entries.map(\.command).contains("<redacted>"))
        #expect(!"\(h.dialog.transcript)".contains(secret))
        #expect(!h.actions.map(\.description).joined().contains(secret))
    }

    @Test func failsWhenTheDeviceAsksForAnEnablePasswordNoneIsConfigured() {
        var h = H(commands: [])
        h.device(H.userPrompt)
        h.answer("enable", prompt: "Password: ")
        #expect(h.failure == .enablePasswordRequired)
    }

    @Test func failsWhenTheEnablePasswordIsAskedAgain() {
        let secret = "wrong-one"
        var h = H(commands: [], configuration: .init(enablePassword: SecretText(secret)))
        h.device(H.userPrompt)
        h.answer("enable", prompt: "Password: ")
        h.device("\n% Access denied\nPassword: ")
        #expect(h.failure == .enablePasswordRejected)
        #expect(!"\(h.dialog.transcript) \(h.failure.map { "\($0)" } ?? "")".contains(secret))
    }

    @Test func failsWhenEnableIsRefused() {
        var h = H(commands: [])
        h.device(H.userPrompt)
        h.answer("enable", output: "% Permission denied\n", prompt: H.userPrompt)
        #expect(h.failure == .commandRejected(command: "enable", deviceText: "% Permission denied"))
    }

    @Test func fallsBackToTheOtherPagingCommand() {
        var h = H(commands: [])
        h.device(H.userPrompt)
        h.answer("enable", prompt: H.enablePrompt)
        h.answer("cli session terminal length 999", output: "% Unrecognized command \"cli\"\n", prompt: H.enablePrompt)
        h.answer("no cli session paging enable", prompt: H.enablePrompt)
        h.answer("configure terminal", prompt: H.configPrompt)
        #expect(h.sent == ["enable\n", "cli session terminal length 999\n", "no cli session paging enable\n",
                           "configure terminal\n"])
        #expect(h.actions.last == .done)
    }

    @Test func failsWhenConfigureTerminalIsRefused() {
        var h = H(commands: [.writeMemory])
        h.device(H.userPrompt)
        h.answer("enable", prompt: H.enablePrompt)
        h.answer("cli session terminal length 999", prompt: H.enablePrompt)
        h.answer("configure terminal", output: "% Configuration locked\n", prompt: H.enablePrompt)
        #expect(h.failure == .commandRejected(command: "configure terminal", deviceText: "% Configuration locked"))
    }

    @Test func reportsADeviceErrorOnACommandAndGoesOn() throws {
        let ports = try cliPorts("3/1/x1", "3/1/x2")
        var h = H(commands: [.setToolType(ports), .writeMemory])
        h.reachConfigMode()
        let error = "% Invalid port '3/1/x1': invalid port syntax"
        let actions = h.answer("port 3/1/x1,3/1/x2 type tool", output: error + "\n", prompt: H.configPrompt)
        guard case .commandFinished(let command, let response, _)? = actions.first else {
            Issue.record("expected commandFinished, got \(actions)")
            return
        }
        #expect(command == .setToolType(ports))
        #expect(response.deviceError == error)
        #expect(actions.last == .send("write memory\n"))
    }

    @Test(arguments: [false, true])
    func answersThePagerAndKeepsTheOutput(singleBytes: Bool) {
        var h = H(commands: [.writeMemory], singleBytes: singleBytes)
        h.reachConfigMode()
        #expect(h.device("write memory\nline 1\nline 2\n--More--") == [.send(" ")])
        // One way to erase the marker: back over it, blank it, back again.
        let erase = String(repeating: "\u{08}", count: 8)
        h.device(erase + "        " + erase + "line 3\n--More--")
        h.device("\r\u{1B}[Kline 4\n" + H.configPrompt)
        let response = h.actions.compactMap { if case .commandFinished(_, let r, _) = $0 { r } else { nil } }.first
        #expect(response?.text == "line 1\nline 2\nline 3\nline 4")
        #expect(h.sent.filter { $0 == " " }.count == 2)
        #expect(h.actions.last == .done)
    }

    @Test(arguments: ["Admin Password: ", "Enter new password: "])
    func stopsAtAForcedPasswordChange(prompt: String) {
        var h = H(commands: [])
        h.device("You are required to change your password\n" + prompt)
        #expect(h.failure == .passwordChangeRequired(prompt: prompt.trimmingCharactersAtEnd))
        #expect("\(h.failure.map { "\($0)" } ?? "")".contains("password change"))
    }

    @Test func stopsAtAConfirmation() {
        var h = H(commands: [.writeMemory])
        h.reachConfigMode()
        h.answer("write memory", prompt: "Overwrite? [yes/no] ")
        #expect(h.failure == .unexpectedConfirmation(command: "write memory", prompt: "Overwrite? [yes/no]"))
    }

    @Test func failsAtAnUnknownPromptAfterTheQuietPeriod() {
        var h = H(commands: [])
        h.device("Select a profile: ")
        #expect(h.advance(.seconds(1)).isEmpty)
        #expect(h.advance(.seconds(2)) == [.failed(.unexpectedPrompt(command: nil, prompt: "Select a profile:"))])
        #expect(h.dialog.transcript.entries.last?.finished == false)
    }

    @Test func failsOnAPromptOfAnotherHost() {
        var h = H(commands: [.writeMemory])
        h.reachConfigMode()
        h.answer("write memory", prompt: "other-host (config) # ")
        h.advance(.seconds(3))
        #expect(h.failure == .unexpectedPrompt(command: "write memory", prompt: "other-host (config) #"))
    }

    @Test func timesOutWaitingForTheLoginPrompt() {
        var h = H(commands: [], configuration: .init(loginTimeout: .seconds(10)))
        h.device("Banner still coming\n")
        #expect(h.advance(.seconds(9)).isEmpty)
        guard case .failed(.timeout(nil, let waited))? = h.advance(.seconds(1)).first else {
            Issue.record("expected a login timeout, got \(h.actions)")
            return
        }
        #expect(waited >= .seconds(10))
    }

    @Test func timesOutOnASlowCommand() {
        var h = H(commands: [.writeMemory], configuration: .init(commandTimeout: .seconds(30)))
        h.reachConfigMode()
        h.device("write memory\nSaving...\n")
        #expect(h.advance(.seconds(29)).isEmpty)
        guard case .failed(.timeout("write memory", let waited))? = h.advance(.seconds(1)).first else {
            Issue.record("expected a command timeout, got \(h.actions)")
            return
        }
        #expect(waited >= .seconds(30))
        #expect(h.dialog.transcript.entries.last?.response == "write memory\nSaving...\n")
    }

    @Test func refusesAnEndlessAnswer() {
        var h = H(commands: [], configuration: .init(outputLimit: 64))
        h.device(String(repeating: "x", count: 40))
        h.device(String(repeating: "y", count: 40))
        #expect(h.failure == .outputTooLarge(command: nil, limit: 64))
    }
}

private extension String {
    var trimmingCharactersAtEnd: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
