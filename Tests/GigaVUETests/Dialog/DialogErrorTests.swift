import GigaVUE
import Testing

@Suite struct DialogErrorTests {
    static let cases: [(DialogError, [String])] = [
        (.timeout(command: nil, waited: .seconds(10)), ["failed to wait for the login prompt", "10"]),
        (.timeout(command: "write memory", waited: .seconds(30)), ["failed to run 'write memory'", "30"]),
        (.commandRejected(command: "enable", deviceText: "% Access denied"), ["'enable'", "% Access denied"]),
        (.unexpectedMode(command: "enable", expected: .enable, actual: .user), ["expected enable mode", "user mode"]),
        (.enablePasswordRequired, ["enable password", "none is configured"]),
        (.enablePasswordRejected, ["rejected the enable password"]),
        (.passwordChangeRequired(prompt: "Admin Password:"), ["password change", "Admin Password:"]),
        (.unexpectedConfirmation(command: "write memory", prompt: "Sure? [yes/no]"), ["Sure? [yes/no]"]),
        (.unexpectedPrompt(command: nil, prompt: "Login:"), ["unknown prompt", "Login:"]),
        (.outputTooLarge(command: "show running-config", limit: 64), ["64 bytes", "show running-config"]),
    ]

    @Test(arguments: cases)
    func describesTheCauseAndTheStep(_ error: DialogError, _ fragments: [String]) {
        let text = "\(error)"
        #expect(text.hasPrefix("failed to "))
        for fragment in fragments { #expect(text.contains(fragment), "\(text)") }
    }
}
