import GigaVUE
import Testing
import TroxileiaCore

@Suite struct CLIDialogStepsTests {
    typealias H = DialogHarness

    @Test func dropsAnEchoRedrawnAfterThePrompt() {
        var h = H(commands: [.writeMemory])
        h.reachConfigMode()
        h.device("\(H.configPrompt)write memory\nSaved.\n\(H.configPrompt)")
        let response = h.actions.compactMap { if case .commandFinished(_, let r, _) = $0 { r } else { nil } }.first
        #expect(response?.text == "Saved.")
        #expect(response?.outcome == .output)
    }

    @Test func keepsEveryLineWithoutAnEcho() {
        var h = H(commands: [.writeMemory])
        h.reachConfigMode()
        h.device("Saved.\n\(H.configPrompt)")
        #expect(h.dialog.transcript.entries.last?.response == "Saved.")
    }

    @Test func recordsTimingsFromTheStartOfTheDialog() {
        var h = H(commands: [.writeMemory])
        h.device(H.userPrompt, after: .seconds(1))
        h.device("enable\n" + H.enablePrompt, after: .seconds(2))
        let entries = h.dialog.transcript.entries
        #expect(entries[0].startedAfter == .zero && entries[0].duration == .seconds(1))
        #expect(entries[1].startedAfter == .seconds(1) && entries[1].duration == .seconds(2))
    }

    @Test func entersEnableModeDirectlyWhenTheAccountLandsThere() {
        var h = H(commands: [])
        h.device(H.enablePrompt)
        #expect(h.sent == ["cli session terminal length 999\n"])
    }

    @Test func namesThePasswordStepWithoutThePassword() {
        let secret = "pa55-Word"
        var h = H(commands: [], configuration: .init(enablePassword: SecretText(secret)), singleBytes: true)
        h.device(H.userPrompt)
        h.answer("enable", prompt: "Password: ")
        h.advance(.seconds(30))
        #expect(h.failure == .timeout(command: "<redacted>", waited: .seconds(30)))
        let everything = "\(h.dialog.transcript) \(h.actions.map(\.description)) \(h.failure.map { "\($0)" } ?? "")"
        #expect(!everything.contains(secret))
    }

    @Test func failsWhenEnableLeavesUsInUserMode() {
        var h = H(commands: [])
        h.device(H.userPrompt)
        h.answer("enable", prompt: H.userPrompt)
        #expect(h.failure == .unexpectedMode(command: "enable", expected: .enable, actual: .user))
    }
}
