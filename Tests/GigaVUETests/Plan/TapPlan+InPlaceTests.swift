import GigaVUE
import Testing
import TroxileiaCore

/// The in-place plan (issue 15), line for line, from what the device shows to the new set. Pure.
@Suite struct TapPlanInPlaceTests {
    static func plan(_ ports: String, configuration: TapPlan.Configuration = TapPlan.Configuration()) throws -> TapPlan {
        try TapPlan(ports: try Self.ports(ports), configuration: configuration, allowedToolPorts: nil, sourcePorts: [])
    }

    static func ports(_ text: String) throws -> [TapPort] {
        try text.split(separator: ",").map { try TapPort(cli: String($0)) }
    }

    static func device(_ ports: String) throws -> ManagedConfiguration {
        ManagedConfiguration.expected(for: try Self.ports(ports), configuration: TapPlan.Configuration())
    }

    @Test(arguments: [
        // 2+ → 2+: the member list only; the map is not touched.
        ("1/1/x1,1/1/x2", "1/1/x1,1/1/x2,1/1/x3",
         ["port 1/1/x3 type tool", "gigastream alias sensor_stream port-list 1/1/x1,1/1/x2,1/1/x3", "write memory"]),
        ("1/1/x1,1/1/x2,1/1/x3", "1/1/x1,1/1/x3",
         ["gigastream alias sensor_stream port-list 1/1/x1,1/1/x3", "write memory"]),
        // 2+ → 1: the map's `to` moves to the port, then the GigaStream goes.
        ("1/1/x1,1/1/x2", "1/1/x1",
         ["map-passall alias sensor_map", "to 1/1/x1", "exit", "no gigastream alias sensor_stream", "write memory"]),
        // 1 → 2+: the GigaStream first, then the map's `to`.
        ("1/1/x1", "1/1/x1,1/1/x2",
         ["port 1/1/x2 type tool", "gigastream alias sensor_stream port-list 1/1/x1,1/1/x2", "map-passall alias sensor_map",
          "to sensor_stream", "exit", "write memory"]),
        // 1 → 1.
        ("1/1/x1", "1/1/x2", ["port 1/1/x2 type tool", "map-passall alias sensor_map", "to 1/1/x2", "exit", "write memory"]),
        // → 0: the deletions.
        ("1/1/x1", "", ["no map-passall alias sensor_map", "no gigastream alias sensor_stream", "write memory"]),
    ])
    func editsTheLiveObjects(from current: String, to desired: String, expected: [String]) throws {
        let plan = try #require(try Self.plan(desired).inPlace(from: try Self.device(current)))
        #expect(plan.lines == expected)
        #expect(plan.kind == .inPlace)
        #expect(plan.ports == (try Self.ports(desired)))
    }

    /// Nothing to keep lit, or nothing we may edit: only the rebuild plan applies.
    @Test func needsOurLiveMapReadingFromTheSourceGroup() throws {
        let plan = try Self.plan("1/1/x1,1/1/x2")
        #expect(plan.inPlace(from: ManagedConfiguration()) == nil, "no map yet")
        var foreign = try Self.device("1/1/x1,1/1/x2")
        foreign.map?.foreignLines = ["rule add pass vlan 10"]
        #expect(plan.inPlace(from: foreign) == nil, "a map with lines we don't write")
        var otherSource = try Self.device("1/1/x1,1/1/x2")
        otherSource.map?.from = .alias("other_group")
        #expect(plan.inPlace(from: otherSource) == nil, "a map reading elsewhere")
        var unreadable = try Self.device("1/1/x1,1/1/x2")
        unreadable.gigastream?.unreadablePorts = ["9/9/z9"]
        #expect(plan.inPlace(from: unreadable) == nil, "a GigaStream we could not read")
    }

    @Test func leavesOutToolTypeAndSaveWhenOff() throws {
        let configuration = TapPlan.Configuration(setToolType: false, save: false)
        let plan = try #require(try Self.plan("1/1/x1,1/1/x2,1/1/x3", configuration: configuration)
            .inPlace(from: try Self.device("1/1/x1,1/1/x2")))
        #expect(plan.lines == ["gigastream alias sensor_stream port-list 1/1/x1,1/1/x2,1/1/x3"])
    }
}
