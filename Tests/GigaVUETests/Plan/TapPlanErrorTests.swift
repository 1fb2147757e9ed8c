import GigaVUE
import Testing

@Suite struct TapPlanErrorTests {
    @Test func messagesNameEveryPortAndWhatToDo() throws {
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        let inGroup = TapPlanError.portsInSourceGroup(ports, group: .defaultSourcePortGroup).description
        #expect(inGroup.hasPrefix("failed to plan"))
        #expect(inGroup.contains("1/1/x1, 1/1/x2") && inGroup.contains("net_group"))
        let outside = TapPlanError.portsNotAllowed(ports, allowed: ToolPortSet([])).description
        #expect(outside.contains("1/1/x1, 1/1/x2") && outside.contains("--tool-ports"))
        #expect(TapPlanError.portsNotAllowed(ports, allowed: ToolPortSet([])).ports == ports)
    }
}
