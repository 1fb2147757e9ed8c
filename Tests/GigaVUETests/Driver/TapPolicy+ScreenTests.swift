import GigaVUE
import Testing
import TroxileiaCore

/// Which desired ports a push leaves out, and which plan a strategy runs first (issue 15). Pure.
@Suite struct TapPolicyScreenTests {
    static func listing() throws -> PortListing {
        let types = [("1/1/x1", "network"), ("1/1/x2", "tool"), ("1/1/x3", "hybrid"), ("1/1/x45", "network"), ("1/1/x46", "gs")]
        return PortListing(types: Dictionary(uniqueKeysWithValues: try types.map { (try TapPort(cli: $0.0), $0.1) }))
    }

    static func reading(listed: Bool = true) throws -> TapReading {
        TapReading(configuration: ManagedConfiguration(), sourceGroupPorts: try cliPorts("1/1/x45"),
                   portListing: listed ? try listing() : nil)
    }

    @Test(arguments: [
        ("1/1/x1", nil as String?),
        ("1/1/x2", nil),
        ("1/1/x3", nil),
        ("1/3/x1", "the tap has no such port (the tap answered: % Port 1/3/x1 does not exist)"),
        ("1/1/x45", "source port group net_group"),
        ("1/1/x46", "type gs"),
    ])
    func leavesOutWhatTheTapCannotTake(port: String, why: String?) throws {
        let answers = [try TapPort(cli: "1/3/x1"): "% Port 1/3/x1 does not exist"]
        let screened = TapPolicy().screen([try TapPort(cli: port)], reading: try Self.reading(), deviceAnswers: answers)
        #expect(screened.usable.isEmpty == (why != nil))
        #expect(screened.rejected.first.map { $0.description.contains(why ?? "-") } ?? (why == nil))
    }

    @Test func checksToolPortsAndKeepsTheRest() throws {
        let policy = TapPolicy(allowedToolPorts: ToolPortSet(try cliPorts("1/1/x1", "1/1/x2")))
        let screened = policy.screen(try cliPorts("1/1/x3", "1/1/x2", "1/1/x1", "1/1/x1"), reading: try Self.reading())
        #expect(screened.usable == (try cliPorts("1/1/x1", "1/1/x2")))
        #expect(screened.rejected == [TapPortRejection(port: try TapPort(cli: "1/1/x3"), reason: .outsideToolPorts)])
    }

    @Test func withoutAListingOnlyTheSourceGroupAndToolPortsCount() throws {
        let screened = TapPolicy().screen(try cliPorts("1/3/x1", "1/1/x45"), reading: try Self.reading(listed: false))
        #expect(screened.usable == (try cliPorts("1/3/x1")))
        #expect(screened.rejected.map(\.eventReason) == ["TapPortRefused"])
    }

    @Test(arguments: [
        (TapUpdateStrategy.auto, false, TapPlan.Kind.inPlace, true),
        (.auto, true, .rebuild, false),
        (.inPlace, false, .inPlace, false),
        (.inPlace, true, .inPlace, false),
        (.rebuild, false, .rebuild, false),
    ])
    func choosesThePlanByStrategy(strategy: TapUpdateStrategy, refusedBefore: Bool, first: TapPlan.Kind, fallback: Bool) throws {
        let policy = TapPolicy(updateStrategy: strategy)
        let plan = try TapPlan(ports: try cliPorts("1/1/x1", "1/1/x2", "1/1/x3"), allowedToolPorts: nil, sourcePorts: [])
        let live = ManagedConfiguration.expected(for: try cliPorts("1/1/x1", "1/1/x2"), configuration: policy.plan)
        let chosen = policy.plans(for: plan, current: live, inPlaceRefused: refusedBefore)
        #expect(chosen.first.kind == first)
        #expect((chosen.fallback != nil) == fallback)
        #expect(chosen.fallback.map { $0 == plan } ?? true)
        // Nothing live to edit: every strategy rebuilds, with no fallback.
        let fresh = policy.plans(for: plan, current: ManagedConfiguration(), inPlaceRefused: refusedBefore)
        #expect(fresh.first == plan && fresh.fallback == nil)
    }
}
