import KubeAPI
import Logging
@testable import Reconciler
import Testing
import TroxileiaCore

/// The reconciler over the real node store (issue 18): it follows the store's change journal node by
/// node, reports Events only for the standings a change moved, and writes the status lists as they are
/// at the push.
@Suite(.timeLimit(.minutes(1))) struct ReconcilerNodeStoreTests {
    static func sensor(_ name: String, port: String, sensor: String = "true") -> (String, NodeRecord) {
        (name, NodeRecord(name: name, uid: "u-\(name)", labels: ["sensor": sensor, "port": port]))
    }

    @Test func followsTheStoresJournalThroughADuplicateAndItsRemoval() async throws {
        let store = NodeStore(keys: .default)
        store.objects.replace(with: [Self.sensor("a", port: "1_1_x1"), Self.sensor("b", port: "1_1_x2")])
        let clock = TestClock(), driver = TestTapDriver(), reporter = TestReporter()
        var configuration = Reconciler.Configuration()
        configuration.scheduling.resyncJitter = 0
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let reconciler = Reconciler(nodes: store, pods: nil, driver: driver, leadership: TestLeadership(), reporter: reporter,
                                    metrics: nil, configuration: configuration, clock: clock, logger: logger)
        let task = Task { try await reconciler.run() }
        let desired = { await reconciler.desired?.ports.map(\.cliName) }
        #expect(await eventually { driver.pushes.count == 1 })
        #expect(driver.ports == ReconcilerTests.ports("1/1/x1", "1/1/x2"))

        store.objects.upsert(key: "c", value: Self.sensor("c", port: "1_1_x3").1)
        #expect(await eventually { await desired() == ["1/1/x1", "1/1/x2", "1/1/x3"] })
        // d is no sensor, but its port label takes 1/1/x1 from a: both get a DuplicateTapPort Event.
        store.objects.upsert(key: "d", value: Self.sensor("d", port: "1_1_x1", sensor: "false").1)
        #expect(await eventually { await desired() == ["1/1/x2", "1/1/x3"] })
        #expect(reporter.nodeEvents.map(\.reason) == [.duplicateTapPort, .duplicateTapPort])
        #expect(reporter.nodeEvents.map(\.node) == ["a", "d"])
        clock.advance(by: .seconds(1))   // the debounce
        #expect(await eventually { driver.pushes.count == 2 && reporter.published.count == 2 })
        #expect(reporter.published.last?.desired == ReconcilerTests.ports("1/1/x2", "1/1/x3"))
        #expect(reporter.published.last?.excluded == ["a: tap port 1/1/x1 is also labelled on d"])

        store.objects.remove(key: "d")
        #expect(await eventually { await desired() == ["1/1/x1", "1/1/x2", "1/1/x3"] })
        #expect(reporter.nodeEvents.last?.reason == .sensorRestored && reporter.nodeEvents.last?.node == "a")
        #expect(reporter.nodeEvents.count == 3, "b and c kept their standing: no Event about them")
        task.cancel()
        _ = await task.result
    }
}
