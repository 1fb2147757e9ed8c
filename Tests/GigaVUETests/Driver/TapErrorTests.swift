import GigaVUE
import Testing
import TroxileiaCore

@Suite struct TapErrorTests {
    @Test func refusedPortsNameEveryPortAndWhatToDo() throws {
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        let inGroup = TapError.portsInSourceGroup(ports, group: .defaultSourcePortGroup).description
        #expect(inGroup.hasPrefix("failed to plan"))
        #expect(inGroup.contains("1/1/x1, 1/1/x2") && inGroup.contains("net_group"))
        let outside = TapError.portsNotAllowed(ports, allowed: ToolPortSet([])).description
        #expect(outside.contains("1/1/x1, 1/1/x2") && outside.contains("--tool-ports"))
    }

    @Test func configurationErrorsQuoteTheValue() {
        #expect(TapError.invalidAlias(alias: "my map", problem: "it contains space").description == "invalid alias \"my map\": it contains space")
        #expect(TapError.invalidPortList(.endBeforeStart("1/1/x4..x1")).description.contains("1/1/x4..x1"))
    }

    @Test func hostKeyAndLoginErrorsSayWhatToDo() {
        let mismatch = TapError.hostKeyMismatch(host: "tap1", expected: "SHA256:a", presented: "SHA256:b").description
        #expect(mismatch.contains("tap1 presented SHA256:b, expected SHA256:a") && mismatch.contains("--tap-known-hosts"))
        let login = TapError.authenticationFailed(user: "admin", tried: [], offered: ["publickey"]).description
        #expect(login.contains("tried nothing") && login.contains("offers publickey"))
        #expect(TapError.dialog(.enablePasswordRequired).description == DialogError.enablePasswordRequired.description)
    }
}
