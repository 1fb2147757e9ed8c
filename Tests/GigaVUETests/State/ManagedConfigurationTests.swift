import GigaVUE
import Testing
import TroxileiaCore

@Suite struct ManagedConfigurationTests {
    typealias Map = ManagedConfiguration.Map
    typealias GigaStream = ManagedConfiguration.GigaStream
    let configuration = TapPlan.Configuration()

    @Test func expectsWhatThePlanLeaves() throws {
        let two = try cliPorts("1/1/x1", "1/1/x2")
        #expect(ManagedConfiguration.expected(for: [], configuration: configuration) == ManagedConfiguration())
        #expect(ManagedConfiguration.expected(for: [two[1], two[1]], configuration: configuration)
            == ManagedConfiguration(map: Map(alias: "sensor_map", from: .alias("net_group"), to: .ports([two[1]]))))
        #expect(ManagedConfiguration.expected(for: two.reversed(), configuration: configuration)
            == ManagedConfiguration(map: Map(alias: "sensor_map", from: .alias("net_group"), to: .alias("sensor_stream")),
                                    gigastream: GigaStream(alias: "sensor_stream", ports: two)))
    }

    @Test func sensorPortsFollowTheMapsDestination() throws {
        let two = try cliPorts("1/1/x1", "1/1/x2")
        let stream = GigaStream(alias: "sensor_stream", ports: two)
        let toStream = Map(alias: "sensor_map", from: .alias("net_group"), to: .alias("sensor_stream"))
        #expect(ManagedConfiguration(map: toStream, gigastream: stream).sensorPorts() == two)
        #expect(ManagedConfiguration(map: toStream).sensorPorts() == [])
        #expect(ManagedConfiguration(gigastream: stream).sensorPorts() == [], "no map: no traffic")
        let toPort = Map(alias: "sensor_map", from: .alias("net_group"), to: .ports([two[0]]))
        #expect(ManagedConfiguration(map: toPort, gigastream: stream).sensorPorts() == [two[0]])
        let elsewhere = Map(alias: "sensor_map", from: .alias("net_group"), to: .alias("other_stream"))
        #expect(ManagedConfiguration(map: elsewhere, gigastream: stream).sensorPorts() == [])
    }

    /// Every difference from the plan's result is drift, not only a different port set.
    @Test(arguments: [
        ("missing map", ManagedConfiguration(gigastream: GigaStream(alias: "sensor_stream", ports: []))),
        ("wrong from", ManagedConfiguration(map: Map(alias: "sensor_map", from: .alias("other_group"), to: .alias("sensor_stream")))),
        ("no from", ManagedConfiguration(map: Map(alias: "sensor_map", from: nil, to: .alias("sensor_stream")))),
        ("foreign line", ManagedConfiguration(map: Map(alias: "sensor_map", from: .alias("net_group"), to: .alias("sensor_stream"),
                                                       foreignLines: ["comment hi"]))),
        ("to a port", ManagedConfiguration(map: Map(alias: "sensor_map", from: .alias("net_group"), to: .ports([])))),
    ])
    func treatsAnyStructuralDifferenceAsDrift(name: String, base: ManagedConfiguration) throws {
        let two = try cliPorts("1/1/x1", "1/1/x2")
        var actual = base
        if actual.gigastream == nil { actual.gigastream = GigaStream(alias: "sensor_stream", ports: two) }
        #expect(!actual.matches(two, configuration: configuration), "\(name)")
    }

    @Test func matchesExactlyThePlansResult() throws {
        let two = try cliPorts("1/1/x1", "1/1/x2")
        let expected = ManagedConfiguration.expected(for: two, configuration: configuration)
        #expect(expected.matches(two.reversed(), configuration: configuration))
        #expect(!expected.matches([two[0]], configuration: configuration))
        #expect(!expected.matches(two + (try cliPorts("1/1/x3")), configuration: configuration))
        #expect(!expected.matches([], configuration: configuration))
        #expect(ManagedConfiguration().matches([], configuration: configuration))
        var leftover = ManagedConfiguration.expected(for: [two[0]], configuration: configuration)
        #expect(leftover.matches([two[0]], configuration: configuration))
        leftover.gigastream = GigaStream(alias: "sensor_stream", ports: two)
        #expect(!leftover.matches([two[0]], configuration: configuration), "a stale GigaStream is drift")
        var unreadable = expected
        unreadable.gigastream?.unreadablePorts = ["1/1/e1"]
        #expect(!unreadable.matches(two, configuration: configuration))
    }

    @Test func refusesAShownPortTypeOtherThanToolOnlyWhenSettingTypes() throws {
        let two = try cliPorts("1/1/x1", "1/1/x2")
        var actual = ManagedConfiguration.expected(for: two, configuration: configuration)
        actual.portTypes = [two[0]: "tool"]
        #expect(actual.matches(two, configuration: configuration))
        actual.portTypes[two[1]] = "network"
        #expect(!actual.matches(two, configuration: configuration))
        #expect(actual.matches(two, configuration: TapPlan.Configuration(setToolType: false)))
    }
}
