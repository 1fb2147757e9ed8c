import GigaVUE
import Testing
import TroxileiaCore

@Suite struct CLIDialogConfigurationTests {
    @Test func defaultsFollowTheIssue() {
        let configuration = CLIDialog.Configuration()
        #expect(configuration.enablePassword == nil)
        #expect(configuration.commandTimeout == .seconds(30))
        #expect(configuration.loginTimeout == .seconds(10))
        #expect(configuration.outputLimit == TerminalText.defaultLimit)
    }

    @Test func actionsNeverPrintASecret() {
        let action = CLIDialog.Action.sendSecret(SecretText("hunter2"))
        #expect(action.description == "send <redacted>")
        #expect(!String(reflecting: action).contains("hunter2"))
        #expect(CLIDialog.Action.send("exit\n").description == "send \"exit\\n\"")
        #expect(CLIDialog.Action.done.description == "done")
    }
}
