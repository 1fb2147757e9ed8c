import GigaVUE
import Testing
import TroxileiaCore

@Suite struct TapPlanTests {
    static let forty = (1...40).map { "1/1/x\($0)" }.joined(separator: ",")

    /// Plans of gigavue-cli.md "The reconfiguration plan", line for line, with the port types first
    /// (issue 15: a refused port costs the tap nothing).
    @Test(arguments: [
        ("", ["no map-passall alias sensor_map", "no gigastream alias sensor_stream", "write memory"]),
        ("1/1/x3", ["port 1/1/x3 type tool", "no map-passall alias sensor_map", "no gigastream alias sensor_stream",
                    "map-passall alias sensor_map", "from net_group", "to 1/1/x3", "exit", "write memory"]),
        ("1/1/x1,1/1/x2", ["port 1/1/x1,1/1/x2 type tool", "no map-passall alias sensor_map",
                           "no gigastream alias sensor_stream", "gigastream alias sensor_stream port-list 1/1/x1,1/1/x2",
                           "map-passall alias sensor_map", "from net_group", "to sensor_stream", "exit", "write memory"]),
        (forty, ["port \(forty) type tool", "no map-passall alias sensor_map", "no gigastream alias sensor_stream",
                 "gigastream alias sensor_stream port-list \(forty)",
                 "map-passall alias sensor_map", "from net_group", "to sensor_stream", "exit", "write memory"]),
    ])
    func buildsTheDocumentedCommands(ports: String, expected: [String]) throws {
        let plan = try TapPlan(ports: try Self.ports(ports), allowedToolPorts: nil, sourcePorts: [])
        #expect(plan.lines == expected)
        #expect(plan.kind == .rebuild)
        #expect(plan.commands.filter(\.toleratesError).map(\.text)
            == ["no map-passall alias sensor_map", "no gigastream alias sensor_stream"])
    }

    /// A `%` on the port-type line must come before anything is deleted (issue 15).
    @Test func setsPortTypesBeforeDeletingAnything() throws {
        let lines = try TapPlan(ports: try Self.ports("1/1/x1,1/1/x2"), allowedToolPorts: nil, sourcePorts: []).lines
        let typeLine = try #require(lines.firstIndex { $0.hasSuffix("type tool") })
        let firstDeletion = try #require(lines.firstIndex { $0.hasPrefix("no ") })
        #expect(typeLine < firstDeletion)
    }

    @Test(arguments: [(false, true), (true, false), (false, false)])
    func leavesOutToolTypeAndSaveWhenOff(setToolType: Bool, save: Bool) throws {
        let configuration = TapPlan.Configuration(setToolType: setToolType, save: save)
        for text in ["", "1/1/x1", "1/1/x1,1/1/x2"] {
            let lines = try TapPlan(ports: try Self.ports(text), configuration: configuration,
                                    allowedToolPorts: nil, sourcePorts: []).lines
            #expect(lines.contains { $0.hasSuffix(" type tool") } == (setToolType && !text.isEmpty))
            #expect(lines.contains("write memory") == save)
            #expect(lines.last == (save ? "write memory" : text.isEmpty ? "no gigastream alias sensor_stream" : "exit"))
        }
    }

    @Test func usesTheConfiguredAliases() throws {
        let configuration = TapPlan.Configuration(mapAlias: try AliasName("m1"), gigastreamAlias: try AliasName("g1"),
                                                  sourcePortGroup: try AliasName("taps"))
        let plan = try TapPlan(ports: try Self.ports("1/1/x1,1/1/x2"), configuration: configuration,
                               allowedToolPorts: nil, sourcePorts: [])
        #expect(plan.lines == ["port 1/1/x1,1/1/x2 type tool", "no map-passall alias m1", "no gigastream alias g1",
                               "gigastream alias g1 port-list 1/1/x1,1/1/x2", "map-passall alias m1", "from taps",
                               "to g1", "exit", "write memory"])
    }

    @Test func sortsAndDeduplicatesItsInput() throws {
        let plan = try TapPlan(ports: try cliPorts("1/2/x1", "1/1/q1x2", "1/1/x10", "1/1/x2", "1/1/x10"),
                               allowedToolPorts: nil, sourcePorts: [])
        #expect(plan.ports.map(\.cliName) == ["1/1/x2", "1/1/x10", "1/1/q1x2", "1/2/x1"])
        #expect(plan.lines[3] == "gigastream alias sensor_stream port-list 1/1/x2,1/1/x10,1/1/q1x2,1/2/x1")
        let single = try TapPlan(ports: try cliPorts("1/1/x5", "1/1/x5"), allowedToolPorts: nil, sourcePorts: [])
        #expect(single.lines.contains("to 1/1/x5"))
        #expect(!single.lines.contains { $0.hasPrefix("gigastream") })
    }

    @Test func refusesAPortOfTheSourceGroup() throws {
        let source = Set(try cliPorts("1/1/x1", "1/1/x2"))
        #expect(throws: TapError.portsInSourceGroup(try cliPorts("1/1/x2"), group: .defaultSourcePortGroup)) {
            _ = try TapPlan(ports: try Self.ports("1/1/x3,1/1/x2"), allowedToolPorts: nil, sourcePorts: source)
        }
    }

    @Test func refusesAPortOutsideTheToolPorts() throws {
        let allowed = try ToolPortSet(parsing: "1/1/x1..x8")
        #expect(throws: TapError.portsNotAllowed(try cliPorts("1/1/x9", "1/2/x1"), allowed: allowed)) {
            _ = try TapPlan(ports: try Self.ports("1/2/x1,1/1/x9,1/1/x8"), allowedToolPorts: allowed, sourcePorts: [])
        }
        let plan = try TapPlan(ports: try Self.ports("1/1/x8"), allowedToolPorts: allowed, sourcePorts: [])
        #expect(plan.ports == (try cliPorts("1/1/x8")))
    }

    @Test func checksTheSourceGroupFirst() throws {
        let port = try cliPorts("1/1/x9")
        #expect(throws: TapError.portsInSourceGroup(port, group: .defaultSourcePortGroup)) {
            _ = try TapPlan(ports: port, allowedToolPorts: ToolPortSet([]), sourcePorts: Set(port))
        }
    }

    static func ports(_ text: String) throws -> [TapPort] {
        text.isEmpty ? [] : try PortList.parse(text, limit: 1000)
    }
}
