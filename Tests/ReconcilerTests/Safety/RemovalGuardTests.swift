import Reconciler
import Testing
import TroxileiaCore

/// DESIGN.md "Safety": the first push after a start may not remove more than the fraction.
@Suite struct RemovalGuardTests {
    /// Ports 1/1/x1 … 1/1/xN.
    static func ports(_ range: ClosedRange<Int>) -> [TapPort] {
        range.compactMap { TapPort(box: 1, slot: 1, speed: .tenGigabit, number: $0) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let tap: [TapPort]
        let desired: [TapPort]
        var fraction = 0.5
        var allow = false
        let holds: Bool
    }

    static let cases: [Case] = [
        Case(testDescription: "an empty tap has nothing to remove", tap: [], desired: [], fraction: 0, holds: false),
        Case(testDescription: "no change", tap: ports(1...4), desired: ports(1...4), holds: false),
        Case(testDescription: "adding ports only", tap: ports(1...2), desired: ports(1...8), fraction: 0, holds: false),
        Case(testDescription: "less than the fraction", tap: ports(1...4), desired: ports(1...3), holds: false),
        Case(testDescription: "exactly the fraction", tap: ports(1...4), desired: ports(1...2), holds: false),
        Case(testDescription: "more than the fraction", tap: ports(1...4), desired: ports(1...1), holds: true),
        Case(testDescription: "removing every port", tap: ports(1...4), desired: [], holds: true),
        Case(testDescription: "moving most ports counts their removal", tap: ports(1...4), desired: ports(3...8), holds: false),
        Case(testDescription: "replacing every port counts as removing all", tap: ports(1...4), desired: ports(5...8), holds: true),
        Case(testDescription: "fraction 0 holds any removal", tap: ports(1...4), desired: ports(1...3), fraction: 0, holds: true),
        Case(testDescription: "fraction 1 allows removing all", tap: ports(1...4), desired: [], fraction: 1, holds: false),
        Case(testDescription: "a rounding product stays allowed at the limit", tap: ports(1...100), desired: ports(58...100),
             fraction: 0.57, holds: false),
        Case(testDescription: "one past a rounding product holds", tap: ports(1...100), desired: ports(59...100),
             fraction: 0.57, holds: true),
        Case(testDescription: "NaN holds any removal", tap: ports(1...4), desired: ports(1...3), fraction: .nan, holds: true),
        Case(testDescription: "a negative fraction counts as 0", tap: ports(1...4), desired: ports(1...3), fraction: -1, holds: true),
        Case(testDescription: "a fraction above 1 counts as 1", tap: ports(1...4), desired: [], fraction: 2, holds: false),
        Case(testDescription: "--allow-large-removal allows removing all", tap: ports(1...4), desired: [], allow: true, holds: false),
    ]

    @Test(arguments: cases)
    func judgesTheFirstPush(_ row: Case) {
        let guardian = RemovalGuard(configuration: .init(maxRemovalFraction: row.fraction, allowLargeRemoval: row.allow))
        let verdict = guardian.check(current: row.tap, desired: row.desired)
        if case .hold = verdict { #expect(row.holds) } else { #expect(!row.holds) }
    }

    @Test func laterPushesFollowTheCluster() {
        var guardian = RemovalGuard()
        #expect(guardian.isArmed)
        #expect(guardian.check(current: Self.ports(1...4), desired: []) != .allow)
        guardian.confirmed()
        #expect(!guardian.isArmed)
        #expect(guardian.check(current: Self.ports(1...4), desired: []) == .allow)
    }

    @Test func defaultsAreTheDesignTable() {
        let configuration = RemovalGuard.Configuration()
        #expect(configuration.maxRemovalFraction == 0.5 && !configuration.allowLargeRemoval)
    }

    @Test func holdSaysHowManyOfHowManyWhichAndTheFlag() throws {
        guard case .hold(let removal) = RemovalGuard().check(current: Self.ports(1...4), desired: Self.ports(4...4)) else {
            Issue.record("expected a hold")
            return
        }
        #expect(removal.removed == Self.ports(1...3) && removal.tapPortCount == 4 && removal.maxRemovalFraction == 0.5)
        #expect(removal.message.contains("would remove 3 of the tap's 4 ports (75% > --max-removal-fraction 0.5)"))
        #expect(removal.message.contains("1/1/x1, 1/1/x2, 1/1/x3") && removal.message.contains("--allow-large-removal"))
    }

    @Test func aLongListOfRemovedPortsIsCut() throws {
        guard case .hold(let removal) = RemovalGuard().check(current: Self.ports(1...40), desired: []) else {
            Issue.record("expected a hold")
            return
        }
        #expect(removal.removed.count == 40 && removal.message.contains("1/1/x10, …") && !removal.message.contains("1/1/x11"))
    }
}
