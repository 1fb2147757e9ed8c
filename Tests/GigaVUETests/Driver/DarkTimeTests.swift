import GigaVUE
import Testing
import TroxileiaCore

/// The driver's dark-time estimate over a command timeline (issue 15). Pure: instants are made up.
@Suite struct DarkTimeTests {
    static let start = ContinuousClock.now

    /// Each command answered one second after the one before.
    static func steps(_ commands: [TapCommand], refused: Set<Int> = []) -> [DarkTime.Step] {
        commands.enumerated().map { index, command in
            DarkTime.Step(command: command, answeredAt: start + .seconds(index + 1), accepted: !refused.contains(index))
        }
    }

    static func estimate(from current: [TapPort], _ plan: [TapCommand], watched: [TapPort],
                         refused: Set<Int> = []) -> [TapPort: Duration] {
        let configuration = TapPlan.Configuration()
        return DarkTime.estimate(watched: watched, start: ManagedConfiguration.expected(for: current, configuration: configuration),
                                 configuration: configuration, startedAt: start, steps: steps(plan, refused: refused))
    }

    @Test func theRebuildPlanDarkensRetainedPortsFromTheDeletionToTheMapsExit() throws {
        let before = try cliPorts("1/1/x1", "1/1/x2"), after = try cliPorts("1/1/x1", "1/1/x2", "1/1/x3")
        let plan = try TapPlan(ports: after, allowedToolPorts: nil, sourcePorts: [])
        // port type (1 s), no map (2 s) … exit (8 s): dark from the map's deletion to its exit, 6 s.
        let dark = Self.estimate(from: before, plan.commands, watched: before)
        #expect(dark == [before[0]: .seconds(6), before[1]: .seconds(6)])
    }

    @Test(arguments: [("1/1/x1,1/1/x2", "1/1/x1,1/1/x2,1/1/x3"), ("1/1/x1,1/1/x2,1/1/x3", "1/1/x1,1/1/x2"),
                      ("1/1/x1,1/1/x2", "1/1/x1"), ("1/1/x1", "1/1/x1,1/1/x2")])
    func theInPlacePlanKeepsRetainedPortsLit(current: String, desired: String) throws {
        let before = try TapPlanInPlaceTests.ports(current), after = try TapPlanInPlaceTests.ports(desired)
        let plan = try #require(try TapPlan(ports: after, allowedToolPorts: nil, sourcePorts: [])
            .inPlace(from: ManagedConfiguration.expected(for: before, configuration: TapPlan.Configuration())))
        let retained = before.filter(after.contains)
        let dark = Self.estimate(from: before, plan.commands, watched: retained)
        #expect(dark.count == retained.count && dark.values.allSatisfy { $0 == .zero })
    }

    @Test func aRefusedLineChangesNothingInTheModel() throws {
        let before = try cliPorts("1/1/x1", "1/1/x2")
        // `no map-passall` refused: the map stays, nothing goes dark.
        let dark = Self.estimate(from: before, [.deleteMap(.defaultMap), .writeMemory], watched: before, refused: [0])
        #expect(dark.values.allSatisfy { $0 == .zero })
    }
}
