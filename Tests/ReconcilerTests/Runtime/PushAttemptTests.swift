import GigaVUE
import Logging
@testable import Reconciler
import Testing
import TroxileiaCore

/// A push attempt over the dry-run driver (a real `TapDriver` that remembers what it planned).
@Suite struct PushAttemptTests {
    struct Follower: Leadership {
        var isLeader: Bool { false }
        var holder: String? { "replica-b" }
        func changes() -> AsyncStream<Bool> { AsyncStream { $0.yield(false) } }
    }

    static func ports(_ count: Int) throws -> [TapPort] {
        try (1...count).map { number throws(TapPortSyntaxError) in try TapPort(cli: "1/1/x\(number)") }
    }

    static func driver(allowed: String? = nil) throws -> DryRunTapDriver {
        DryRunTapDriver(reader: nil, policy: TapPolicy(allowedToolPorts: try allowed.map { try ToolPortSet(parsing: $0) }),
                        logger: Logger(label: "test"))
    }

    static func attempt(_ ports: [TapPort], _ driver: any TapDriver, leadership: any Leadership = SoleLeader(identity: "a"),
                        guard removalGuard: RemovalGuard = RemovalGuard()) -> PushAttempt {
        PushAttempt(reason: .change, ports: ports, driver: driver, leadership: leadership, removalGuard: removalGuard)
    }

    @Test func aFollowerTouchesNothing() async throws {
        let driver = try Self.driver()
        guard case .abandoned = await Self.attempt(try Self.ports(2), driver, leadership: Follower()).run() else {
            Issue.record("a follower pushed")
            return
        }
        #expect(try await driver.currentSensorPorts().sensorPorts.isEmpty)
    }

    @Test func theFirstPushThatWouldEmptyTheTapIsHeld() async throws {
        let driver = try Self.driver()
        _ = try await driver.apply(try Self.ports(4))
        let result = await Self.attempt([], driver).run()
        guard case .held(let removal, let tapPorts) = result else { Issue.record("\(result)"); return }
        #expect(tapPorts == (try Self.ports(4)))
        #expect(removal.removed.count == 4 && removal.message.contains("--allow-large-removal"))
        var confirmed = RemovalGuard()
        confirmed.confirmed()
        guard case .planned(let push) = await Self.attempt([], driver, guard: confirmed).run() else {
            Issue.record("a confirmed guard held a later push")
            return
        }
        #expect(!push.changedDevice, "a dry run plans and changes nothing")
    }

    /// Issue 15: a port outside --tool-ports no longer fails the push; it is left out with its reason.
    @Test func aRefusedPortIsLeftOutWithTheReason() async throws {
        let result = await Self.attempt(try Self.ports(2), try Self.driver(allowed: "1/1/x1")).run()
        guard case .planned(let push) = result else { Issue.record("\(result)"); return }
        #expect(push.rejected.map(\.port.cliName) == ["1/1/x2"])
        #expect(push.rejected.first?.description.contains("--tool-ports") == true)
    }

    @Test func changeSummariesNameAddedAndRemovedPorts() throws {
        let before = try Self.ports(3)
        let after = Array(before.dropFirst()) + [try TapPort(cli: "1/1/x9")]
        #expect(Reconciler.change(from: before, to: after) == "added 1/1/x9, removed 1/1/x1")
        #expect(Reconciler.change(from: before, to: before) == "no port change, configuration repaired")
    }
}
