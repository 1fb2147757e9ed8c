import GigaVUE
import Testing
import TroxileiaCore

/// Edge cases of the line-by-line reading: blocks, duplicates, bad and oversized input.
@Suite struct RunningConfigParserTests {
    static func read(_ text: String, _ configuration: TapPlan.Configuration = TapPlan.Configuration()) -> RunningConfig {
        RunningConfig(parsing: text, configuration: configuration)
    }

    @Test func aMapWithoutExitEndsAtTheNextObject() throws {
        let config = Self.read("map-passall alias sensor_map\n from net_group\n to sensor_stream\n"
            + "gigastream alias sensor_stream port-list 1/1/x1,1/1/x2\nport 1/1/x1 type tool\n")
        #expect(config.managed.matches(try cliPorts("1/1/x1", "1/1/x2"), configuration: TapPlan.Configuration()))
        #expect(config.warnings.map(\.description) == ["running-config line 1: map-passall alias sensor_map is not closed by exit"])
    }

    @Test func aMapWithoutExitAtTheEndIsKept() {
        let config = Self.read("map-passall alias sensor_map\n from net_group\n to 1/1/x1")
        #expect(config.managed.map?.to != nil)
        #expect(config.warnings.count == 1)
    }

    @Test func anUnclosedGigaStreamSubModeEndsAtTheNextObject() throws {
        let config = Self.read("gigastream alias sensor_stream\nport-list 1/1/x1,1/1/x2\n"
            + "map-passall alias sensor_map\nfrom net_group\nto sensor_stream\nexit\n")
        #expect(config.managed.sensorPorts() == (try cliPorts("1/1/x1", "1/1/x2")))
        #expect(config.warnings.count == 1)
    }

    @Test func otherBlocksDoNotLeakIntoOurs() {
        let config = Self.read("gigastream alias sensor_stream2\n port-list 1/1/x9,1/1/x10\n exit\n"
            + "map-passall alias sensor_map_old\n from net_group\n to 1/1/x9\n exit\n")
        #expect(config.managed == ManagedConfiguration())
    }

    @Test func aSecondDefinitionWinsWithAWarning() throws {
        let config = Self.read("map-passall alias sensor_map\n to 1/1/x1\n exit\nmap-passall alias sensor_map\n to 1/1/x2\n exit\n")
        #expect(config.managed.map?.to == .ports(try cliPorts("1/1/x2")))
        #expect(config.warnings.count == 1)
    }

    @Test func anotherKindOfMapUnderOurAliasIsForeign() {
        let map = Self.read("map alias sensor_map\n type regular byRule\n from net_group\n to sensor_stream\n exit\n").managed.map
        #expect(map?.foreignLines == ["map alias sensor_map", "type regular byRule"])
    }

    @Test func readsEndpointsThatAreNotOurs() throws {
        let map = Self.read("map-passall alias sensor_map\n from 1/1/x21..x22\n to sensor_stream extra\n exit\n").managed.map
        #expect(map?.from == .ports(try cliPorts("1/1/x21", "1/1/x22")))
        #expect(map?.to == .unreadable("sensor_stream extra"))
    }

    @Test func anEmptyPortListIsAWarning() {
        let config = Self.read("gigastream alias sensor_stream\n port-list\n exit\n")
        #expect(config.managed.gigastream?.ports == [])
        #expect(config.warnings.count == 1)
    }

    @Test(arguments: ["port-group alias net_group port-list 1/1/x21,1/1/x22\n",
                      "port-group alias net_group\n  port-list 1/1/x21..x22\n  exit\n",
                      "port-group alias net_group port-list 1/1/x21,1/1/e1\nport-group alias net_group port-list 1/1/x22\n"])
    func readsTheSourceGroupsPorts(text: String) throws {
        #expect(Self.read(text).sourceGroupPorts == (try cliPorts("1/1/x21", "1/1/x22")))
        #expect(Self.read("port-group alias other port-list 1/1/x21\n").sourceGroupPorts == nil)
    }

    @Test(arguments: [String(repeating: "\u{1B}[0m\u{0}\u{8}%%\n", count: 1000), String(repeating: "x", count: 200_000),
                      "map-passall alias sensor_map\n to " + String(repeating: "1/1/x1..x128,", count: 200),
                      "gigastream alias sensor_stream port-list " + (1...255).map { "\($0)/1/x1..x128" }.joined(separator: ",")])
    func neverCrashesOnGarbageOrHugeInput(text: String) {
        let config = Self.read(text)
        #expect((config.managed.gigastream?.ports.count ?? 0) <= ToolPortSet.maximumCount)
    }
}
