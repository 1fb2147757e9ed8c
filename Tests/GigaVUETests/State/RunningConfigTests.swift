import GigaVUE
import Testing
import TroxileiaCore

@Suite struct RunningConfigTests {
    typealias Map = ManagedConfiguration.Map
    typealias GigaStream = ManagedConfiguration.GigaStream
    static let configuration = TapPlan.Configuration()
    static let ourMap = "map-passall alias sensor_map\n  from net_group\n  to sensor_stream\n  exit\n"

    static func read(_ text: String) -> RunningConfig { RunningConfig(parsing: text, configuration: configuration) }

    @Test(arguments: [
        ("one-line", "gigastream alias sensor_stream port-list 1/1/x1,1/1/x2\n"),
        ("sub-mode, indented", "gigastream alias sensor_stream\n  port-list 1/1/x1,1/1/x2\n  exit\n"),
        ("sub-mode, flush", "gigastream alias sensor_stream\nport-list 1/1/x1,1/1/x2\nexit\n"),
        ("range", "gigastream alias sensor_stream port-list 1/1/x1..x2\n"),
        ("CRLF and trailing spaces", "gigastream alias sensor_stream   \r\n  port-list 1/1/x1,1/1/x2  \r\n  exit\r\n"),
    ])
    func readsBothGigaStreamForms(name: String, gigastream: String) throws {
        let config = Self.read(Self.ourMap.replacing("\n", with: name.hasPrefix("CRLF") ? "\r\n" : "\n") + gigastream)
        #expect(config.managed.gigastream == GigaStream(alias: "sensor_stream", ports: try cliPorts("1/1/x1", "1/1/x2")), "\(name)")
        #expect(config.managed.map == Map(alias: "sensor_map", from: .alias("net_group"), to: .alias("sensor_stream")))
        #expect(config.warnings.isEmpty)
        #expect(config.managed.matches(try cliPorts("1/1/x2", "1/1/x1"), configuration: Self.configuration))
    }

    @Test func expandsRangesInPortLists() throws {
        let config = Self.read(Self.ourMap + "gigastream alias sensor_stream port-list 1/1/x1..x4,1/1/x7,2/1/c1x1..c1x2\n")
        #expect(config.managed.sensorPorts().map(\.cliName)
            == ["1/1/x1", "1/1/x2", "1/1/x3", "1/1/x4", "1/1/x7", "2/1/c1x1", "2/1/c1x2"])
    }

    @Test func ignoresUnknownLines() throws {
        let text = "hostname tap1\nsome new command 1/1/x9\nfrom elsewhere\nto 1/1/x9\nexit\n" + Self.ourMap
            + "port-list 1/1/x9\ngigastream alias sensor_stream port-list 1/1/x1,1/1/x2\nsnmp-server enable\n"
        let config = Self.read(text)
        #expect(config.managed == ManagedConfiguration.expected(for: try cliPorts("1/1/x1", "1/1/x2"), configuration: Self.configuration))
        #expect(config.warnings.isEmpty)
    }

    @Test(arguments: [("", true), ("\n\n", true), ("##\n## empty\n##\n", true),
                      ("gigastream alias sensor_stream port-list 1/1/x1,1/1/x2\n", false)])
    func missingMapMeansNoSensorPorts(text: String, matchesNoPorts: Bool) {
        let config = Self.read(text)
        #expect(config.managed.map == nil)
        #expect(config.managed.sensorPorts().isEmpty)
        // A GigaStream left without its map is still drift from the 0-port plan, which deletes both.
        #expect(config.managed.matches([], configuration: Self.configuration) == matchesNoPorts)
    }

    @Test func missingGigaStreamIsDrift() throws {
        let config = Self.read(Self.ourMap)
        #expect(config.managed.gigastream == nil)
        #expect(config.managed.sensorPorts().isEmpty)
        #expect(!config.managed.matches(try cliPorts("1/1/x1", "1/1/x2"), configuration: Self.configuration))
    }

    @Test func readsAMapToASinglePort() throws {
        let config = Self.read("map-passall alias sensor_map\n  from net_group\n  to 1/1/x5\n  exit\n")
        #expect(config.managed.map?.to == .ports(try cliPorts("1/1/x5")))
        #expect(config.managed.sensorPorts() == (try cliPorts("1/1/x5")))
        #expect(config.managed.matches(try cliPorts("1/1/x5"), configuration: Self.configuration))
    }

    @Test func recordsForeignLinesInOurMap() throws {
        let text = "map-passall alias sensor_map\n  comment  added by hand\n  from net_group\n  rule add pass ipver 4\n"
            + "  to sensor_stream\n  to 1/1/x9\n  from other\n  exit\ngigastream alias sensor_stream port-list 1/1/x1,1/1/x2\n"
        let map = Self.read(text).managed.map
        #expect(map?.foreignLines == ["comment added by hand", "rule add pass ipver 4", "to 1/1/x9", "from other"])
        #expect(map?.hasForeignLines == true)
        #expect(map?.to == .alias("sensor_stream"), "the first to is ours; a second one is foreign")
        #expect(Self.read(text).managed.matches(try cliPorts("1/1/x1", "1/1/x2"), configuration: Self.configuration) == false)
    }

    @Test func badPortTextIsAWarningNeverACrash() throws {
        let text = "map-passall alias sensor_map\n from net_group\n to 1/1/e1\n exit\n"
            + "gigastream alias sensor_stream port-list 1/1/x1,1/1/z2,1/1/x3..x2\n"
        let config = Self.read(text)
        #expect(config.managed.map?.to == .unreadable("1/1/e1"))
        #expect(config.managed.gigastream?.ports == (try cliPorts("1/1/x1")))
        #expect(config.managed.gigastream?.unreadablePorts == ["1/1/z2", "1/1/x3..x2"])
        #expect(config.warnings.map(\.line) == [3, 5, 5])
        #expect(config.warnings.first?.description.hasPrefix("running-config line 3: ignored port \"1/1/e1\"") == true)
    }

    @Test func readsOurObjectsFromAFullRunningConfig() throws {
        let config = Self.read(RunningConfigFixture.full)
        #expect(config.managed.map == Map(alias: "sensor_map", from: .alias("net_group"), to: .alias("sensor_stream")))
        #expect(config.managed.gigastream?.ports.map(\.cliName)
            == ["1/1/x1", "1/1/x2", "1/1/x3", "1/1/x4", "1/1/x7", "1/2/x1", "1/2/x2"])
        #expect(config.managed.portTypes.count == 7 && config.managed.portTypes.values.allSatisfy { $0 == "tool" })
        #expect(config.sourceGroupPorts?.map(\.cliName) == ["1/1/x21", "1/1/x22", "1/1/x23", "1/1/x24"])
        #expect(config.warnings.isEmpty, "\(config.warnings)")
        #expect(config.managed.matches(config.managed.sensorPorts(), configuration: Self.configuration))
    }
}
