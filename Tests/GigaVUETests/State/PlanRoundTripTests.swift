import GigaVUE
import Testing
import TroxileiaCore

/// A plan applied to a device, read back from `show running-config`, matches the plan's ports;
/// the next plan on top of it converges too.
@Suite struct PlanRoundTripTests {
    static let sets = ["", "1/1/x3", "1/1/x1,1/1/x2", (1...40).map { "1/1/x\($0)" }.joined(separator: ","),
                       "1/1/q1x1..q1x4,2/1/c1x2"]

    @Test(arguments: sets, [false, true])
    func aPlansResultMatchesItsPorts(text: String, subMode: Bool) throws {
        let ports = try TapPlanTests.ports(text)
        var device = PlanApplier(subModeGigaStreams: subMode)
        device.otherLines = ["gigastream alias web_stream port-list 1/1/x15,1/1/x16",
                             "map-passall alias web_map", "  from net_group", "  to web_stream", "  exit"]
        device.apply(["gigastream alias sensor_stream port-list 1/1/x100,1/1/x101", "map-passall alias sensor_map",
                      "from net_group", "to sensor_stream", "exit"])
        for previous in Self.sets + [text] {
            device.apply(try TapPlan(ports: try TapPlanTests.ports(previous), allowedToolPorts: nil, sourcePorts: []).lines)
        }
        let read = RunningConfig(parsing: device.runningConfig, configuration: TapPlan.Configuration())
        #expect(read.warnings.isEmpty)
        #expect(read.managed.sensorPorts() == ports)
        #expect(read.managed.matches(ports.reversed(), configuration: TapPlan.Configuration()))
        #expect(read.managed == ManagedConfiguration.expected(for: ports, configuration: TapPlan.Configuration())
            .withTypes(of: ports))
        for other in Self.sets where other != text {
            #expect(!read.managed.matches(try TapPlanTests.ports(other), configuration: TapPlan.Configuration()))
        }
    }

    @Test func customAliasesRoundTrip() throws {
        let configuration = TapPlan.Configuration(mapAlias: try AliasName("m.1"), gigastreamAlias: try AliasName("g-1"),
                                                  sourcePortGroup: try AliasName("taps"), setToolType: false, save: false)
        let ports = try cliPorts("1/1/x1", "1/1/x2")
        var device = PlanApplier()
        device.apply(try TapPlan(ports: ports, configuration: configuration, allowedToolPorts: nil, sourcePorts: []).lines)
        let read = RunningConfig(parsing: device.runningConfig, configuration: configuration)
        #expect(read.managed.matches(ports, configuration: configuration))
        #expect(!RunningConfig(parsing: device.runningConfig, configuration: TapPlan.Configuration())
            .managed.matches(ports, configuration: TapPlan.Configuration()))
    }
}

extension ManagedConfiguration {
    /// The plan sets every sensor port to type tool, and the device shows it.
    func withTypes(of ports: [TapPort]) -> ManagedConfiguration {
        var copy = self
        copy.portTypes = Dictionary(uniqueKeysWithValues: ports.map { ($0, "tool") })
        return copy
    }
}
