import GigaVUE
import Testing
import TroxileiaCore

@Suite struct TapPolicyTests {
    static let policy = TapPolicy()

    static func reading(_ configuration: ManagedConfiguration, source: [TapPort]? = nil) -> TapReading {
        TapReading(configuration: configuration, sourceGroupPorts: source)
    }

    static func applied(_ ports: [TapPort]) -> ManagedConfiguration {
        ManagedConfiguration.expected(for: ports, configuration: TapPlan.Configuration())
    }

    @Test(arguments: [[String](), ["1/1/x1"], ["1/1/x1", "1/1/x2"]])
    func plansNothingWhenTheDeviceAlreadyMatches(names: [String]) throws {
        let ports = try names.map { name throws(TapPortSyntaxError) in try TapPort(cli: name) }
        #expect(try Self.policy.plan(for: ports, reading: Self.reading(Self.applied(ports))) == nil)
    }

    @Test func plansWhenAnyPartOfTheStructureDiffers() throws {
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        var wrongFrom = Self.applied(ports)
        wrongFrom.map?.from = .alias("other_group")
        var noMap = Self.applied(ports)
        noMap.map = nil
        var notTool = Self.applied(ports)
        notTool.portTypes = [ports[0]: "network"]
        for configuration in [wrongFrom, noMap, notTool, Self.applied(Array(ports.prefix(1))), ManagedConfiguration()] {
            let plan = try #require(try Self.policy.plan(for: ports, reading: Self.reading(configuration)))
            #expect(plan.ports == ports)
        }
    }

    @Test func refusesForeignMapLinesUnlessAdopting() throws {
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        var foreign = Self.applied(ports)
        foreign.map?.foreignLines = ["rule add pass ipver 4"]
        #expect(throws: TapError.foreignMapLines(map: "sensor_map", lines: ["rule add pass ipver 4"])) {
            try Self.policy.plan(for: ports, reading: Self.reading(foreign))
        }
        let adopting = TapPolicy(adoptExistingMap: true)
        #expect(try adopting.plan(for: ports, reading: Self.reading(foreign))?.ports == ports)
    }

    @Test func refusesSourceGroupAndDisallowedPortsEvenWhenTheDeviceMatches() throws {
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        let inSource = Self.reading(Self.applied(ports), source: try cliPorts("1/1/x2"))
        #expect(throws: TapError.self) { try Self.policy.plan(for: ports, reading: inSource) }
        let restricted = TapPolicy(allowedToolPorts: try ToolPortSet(parsing: "1/1/x1"))
        do {
            _ = try restricted.plan(for: ports, reading: Self.reading(ManagedConfiguration()))
            Issue.record("a port outside --tool-ports was planned")
        } catch {
            guard case .portsNotAllowed(let refused, _) = error else { throw error }
            #expect(refused == (try cliPorts("1/1/x2")))
        }
    }

    @Test func verifiesTheReadBackAndNamesTheDifference() throws {
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        let plan = try TapPlan(ports: ports, allowedToolPorts: nil, sourcePorts: [])
        try Self.policy.verify(plan, reading: Self.reading(Self.applied(ports)))
        do {
            try Self.policy.verify(plan, reading: Self.reading(Self.applied(Array(ports.prefix(1)))))
            Issue.record("a wrong read-back verified")
        } catch {
            guard case .verificationFailed(let expected, let actual, let detail) = error else { throw error }
            #expect(expected == ports)
            #expect(actual == Array(ports.prefix(1)))
            #expect(detail.contains("map sensor_map differs"))
            #expect(error.description.contains("sends to 1/1/x1 instead of 1/1/x1,1/1/x2"))
        }
    }
}
