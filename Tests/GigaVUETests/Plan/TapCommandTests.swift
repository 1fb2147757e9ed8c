import GigaVUE
import Testing
import TroxileiaCore

@Suite struct TapCommandTests {
    @Test func onlyDeletionsTolerateErrors() throws {
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        let tolerant: [TapCommand] = [.deleteMap(.defaultMap), .deleteGigaStream(.defaultGigaStream)]
        let strict: [TapCommand] = [.setToolType(ports), .createGigaStream(.defaultGigaStream, ports: ports),
                                    .enterMap(.defaultMap), .from(.defaultSourcePortGroup), .to(.defaultGigaStream),
                                    .to(ports[0]), .exit, .writeMemory, .showRunningConfig]
        #expect(tolerant.allSatisfy { $0.toleratesError })
        #expect(tolerant.allSatisfy { $0.text.hasPrefix("no ") })
        #expect(!strict.contains { $0.toleratesError })
    }

    @Test func writesPortsInCLIFormSortedWithoutSpaces() throws {
        let ports = try cliPorts("1/1/x2", "1/1/x1", "1/1/x2")
        #expect(TapCommand.setToolType(ports).text == "port 1/1/x1,1/1/x2 type tool")
        #expect(TapCommand.createGigaStream(try AliasName("gs"), ports: ports).text == "gigastream alias gs port-list 1/1/x1,1/1/x2")
        #expect(TapCommand.to(ports[0]).description == "to 1/1/x2")
    }
}
