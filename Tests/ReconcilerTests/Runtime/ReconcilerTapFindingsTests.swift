import GigaVUE
import Prometheus
@testable import Reconciler
import Testing
import TroxileiaCore

/// Issue 15 in the reconciler: a port the tap lacks leaves its node out with a Warning Event and a
/// status line while the others are pushed; fixing the label fixes the tap at the next push, without
/// a retry backoff.
@Suite(.timeLimit(.minutes(1))) struct ReconcilerTapFindingsTests {
    typealias Harness = ReconcilerTests.Harness

    @Test func aPortTheTapLacksLeavesItsNodeOutAndTheRestIsPushed() async throws {
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1"), ("b", "1_1_x2"), ("c", "1_3_x1")]))
        harness.driver.setChassis(ReconcilerTests.ports("1/1/x1", "1/1/x2", "1/1/x3"))
        #expect(await eventually { harness.driver.ports == ReconcilerTests.ports("1/1/x1", "1/1/x2") })
        #expect(await eventually { harness.reporter.nodeEvents.contains { $0.reason == .tapPortUnknown } })
        let events = harness.reporter.nodeEvents.filter { $0.reason == .tapPortUnknown }
        #expect(events.map(\.node) == ["c"] && events.first?.type == .warning)
        #expect(events.first?.message.contains("1/3/x1") == true)
        #expect(await eventually { harness.reporter.published.last?.rejected.first?.hasPrefix("c: tap port 1/3/x1 left out") == true })
        #expect(harness.reporter.published.last?.tapPorts == ReconcilerTests.ports("1/1/x1", "1/1/x2", "1/1/x3"))
        #expect(harness.reporter.published.last?.lastPushResult == "pushed")
        #expect(!harness.reporter.tapEvents.contains("TapPushFailed"))

        // A resync reads the same answer: no second Event.
        harness.clock.advance(by: .seconds(301))
        _ = await eventually(rounds: 2_000) { false }
        #expect(harness.reporter.nodeEvents.filter { $0.reason == .tapPortUnknown }.count == 1)

        // The label is fixed: the debounce, not a backoff, stands between it and the tap.
        harness.nodes.set(TestNodes.sensor("c", port: "1_1_x3"))
        #expect(await eventually { await harness.desired() == ["1/1/x1", "1/1/x2", "1/1/x3"] })
        harness.clock.advance(by: .seconds(1))
        #expect(await eventually { harness.driver.ports == ReconcilerTests.ports("1/1/x1", "1/1/x2", "1/1/x3") })
        #expect(await eventually { harness.reporter.published.last?.rejected == [] })
        await harness.stop()
    }
}

extension ReconcilerTapFindingsTests {
    @Test func anInPlaceRefusalIsLoggedCountedAndReportedAndDarkTimeIsMeasured() async throws {
        let registry = PrometheusCollectorRegistry()
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1"), ("b", "1_1_x2")]), metrics: ReconcilerMetrics(registry: registry))
        #expect(await eventually { harness.driver.ports == ReconcilerTests.ports("1/1/x1", "1/1/x2") })
        harness.driver.refuseInPlaceNext(answer: "'gigastream alias sensor_stream port-list …' answered: % GigaStream in use")
        harness.nodes.set(TestNodes.sensor("c", port: "1_1_x3"))
        #expect(await eventually { await harness.desired() == ["1/1/x1", "1/1/x2", "1/1/x3"] })
        harness.clock.advance(by: .seconds(1))
        #expect(await eventually { harness.reporter.tapEvents.contains("TapInPlaceRefused") })
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains("troxileia_reconciler_in_place_refusals_total 1"), "\(text)")
        // Two pushes changed the tap with retained ports: the second darkened them for 40 ms.
        #expect(text.contains("troxileia_tap_dark_seconds_count 1"), "the first push had no retained port: \(text)")
        #expect(text.contains(#"troxileia_tap_dark_seconds_bucket{le="0.05"} 1"#), "\(text)")
        #expect(text.contains(#"troxileia_tap_dark_seconds_bucket{le="0.01"} 0"#), "\(text)")
        await harness.stop()
    }
}
