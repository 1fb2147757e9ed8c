import GigaVUE
import Logging
@testable import Reconciler
import Testing
import TroxileiaCore

/// The `Reconciler` actor itself on a test clock (issue 13): in-memory inventories, tap, leadership
/// and reporter; time moves only when a test advances it, and waits are bounded yields, never sleeps.
@Suite(.timeLimit(.minutes(1))) struct ReconcilerTests {
    /// A running reconciler with its fakes.
    struct Harness {
        let clock = TestClock()
        let nodes: TestNodes
        let pods: TestPods?
        let driver = TestTapDriver()
        let leadership = TestLeadership()
        let reporter = TestReporter()
        let reconciler: Reconciler
        let task: Task<Void, any Error>

        init(nodes: TestNodes, pods: TestPods? = nil, metrics: ReconcilerMetrics? = nil,
             configure: (inout Reconciler.Configuration) -> Void = { _ in }) {
            self.nodes = nodes
            self.pods = pods
            var configuration = Reconciler.Configuration()
            configuration.scheduling.resyncJitter = 0
            configure(&configuration)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let reconciler = Reconciler(nodes: nodes, pods: pods, driver: driver, leadership: leadership, reporter: reporter,
                                        metrics: metrics, configuration: configuration, clock: clock, logger: logger)
            self.reconciler = reconciler
            task = Task { try await reconciler.run() }
        }

        /// The desired ports as the actor holds them.
        func desired() async -> [String]? { await reconciler.desired?.ports.map(\.cliName) }

        /// Stops the reconciler and waits for it.
        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    static func ports(_ names: String...) -> [TapPort] {
        names.compactMap { try? TapPort(cli: $0) }
    }

    @Test func losingLeadershipMidPushLetsThePlanFinishAndPushesNothingAfter() async throws {
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1"), ("b", "1_1_x2")]))
        harness.driver.holdNextPush()
        #expect(await eventually { harness.driver.isHoldingAPush })
        harness.leadership.set(leading: false)
        // The reconciler abandons the push in flight; the running plan still ends (the driver defers it).
        #expect(await eventually { harness.driver.heldPushWasCancelled })
        harness.driver.finishHeldPush()
        #expect(await eventually { harness.reporter.tapEvents == ["TapReconfigured"] }, "a completed plan is reported as pushed")
        #expect(await eventually { harness.reporter.published.last?.applied == Self.ports("1/1/x1", "1/1/x2") })
        // After the loss: changes, debounce, retries and resyncs all pass without a push.
        harness.nodes.set(TestNodes.sensor("c", port: "1_1_x3"))
        #expect(await eventually { await harness.desired() == ["1/1/x1", "1/1/x2", "1/1/x3"] })
        for _ in 0..<10 {
            harness.clock.advance(by: .seconds(60))
            _ = await eventually(rounds: 200) { false }
        }
        #expect(harness.driver.pushes == [Self.ports("1/1/x1", "1/1/x2")])
        #expect(harness.driver.ports == Self.ports("1/1/x1", "1/1/x2"))
        await harness.stop()
    }

    @Test func statusWritesLandInTheOrderOfThePushes() async throws {
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1")]))
        harness.reporter.holdNextPublish()
        #expect(await eventually { harness.reporter.isHoldingAWrite })
        harness.nodes.set(TestNodes.sensor("b", port: "1_1_x2"))
        #expect(await eventually { await harness.desired() == ["1/1/x1", "1/1/x2"] })
        harness.clock.advance(by: .seconds(1))   // the debounce
        #expect(await eventually { harness.driver.pushes.count == 2 })
        _ = await eventually(rounds: 500) { false }
        #expect(harness.reporter.writesStarted == 1, "the second write waits for the first")
        harness.reporter.finishHeldWrite()
        #expect(await eventually { harness.reporter.published.count == 2 })
        #expect(harness.reporter.published.map(\.applied) == [Self.ports("1/1/x1"), Self.ports("1/1/x1", "1/1/x2")])
        await harness.stop()
    }

    @Test func aBurstOfStoreChangesDuringARecomputeQueuesOneMore() async throws {
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1")]))
        #expect(await eventually { harness.driver.pushes.count == 1 && harness.reporter.published.count == 1 })
        let before = harness.nodes.snapshots
        // The next recompute is still running while 100 changes arrive.
        harness.nodes.burstDuringNextSnapshot((0..<99).map { NodeRecord(name: "worker-\($0)") })
        harness.nodes.set(TestNodes.sensor("b", port: "1_1_x2"))
        #expect(await eventually { harness.nodes.changesTaken == 100 && harness.nodes.snapshots == before + 2 })
        _ = await eventually(rounds: 1_000) { false }
        #expect(harness.nodes.snapshots == before + 2, "100 changes: the running recompute and exactly one more")
        #expect(await harness.desired() == ["1/1/x1", "1/1/x2"])
        await harness.stop()
    }

    /// Every change of the desired set moves the debounce later; the timer already armed stays and
    /// re-arms once it fires, instead of a new timer task per change (issue 18).
    @Test func aBurstOfDesiredChangesArmsOneDebounceTimer() async throws {
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1")])) { $0.scheduling.resyncInterval = .seconds(3_600) }
        #expect(await eventually { harness.driver.pushes.count == 1 && harness.clock.pendingDeadlines.contains(.seconds(3_600)) })
        let sleeps = harness.clock.sleepsStarted
        for index in 2...21 {
            harness.nodes.set(TestNodes.sensor("n\(index)", port: "1_1_x\(index)"))
            #expect(await eventually { await harness.desired()?.count == index })
        }
        #expect(harness.clock.sleepsStarted == sleeps + 1, "one debounce timer for 20 changes")
        harness.clock.advance(by: .seconds(1))
        #expect(await eventually { harness.driver.pushes.count == 2 && harness.driver.ports.count == 21 })
        await harness.stop()
    }

    /// A pod not Ready since creation (wall time at offset 0), on node `a`.
    static func notReadyPod(_ clock: TestClock, node: String = "a") -> PodRecord {
        PodRecord(namespace: "sensors", name: "zeek-\(node)", uid: "pod-\(node)", nodeName: node, phase: "Running",
                  createdAt: clock.wall(at: .zero), ready: .notReady, readySince: clock.wall(at: .zero))
    }

    @Test func aPodTimeoutFiresAtItsInstant() async throws {
        let pods = TestPods()
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1"), ("b", "1_1_x2")]), pods: pods) {
            $0.scheduling.resyncInterval = .seconds(3_600)
        }
        pods.set(Self.notReadyPod(harness.clock))
        // 300 s (--pod-not-ready-timeout) after the pod's creation, plus the 50 ms margin.
        #expect(await eventually { harness.clock.pendingDeadlines.contains(.milliseconds(300_050)) })
        #expect(await eventually { harness.driver.pushes.count == 1 })
        harness.clock.advance(by: .seconds(300))
        _ = await eventually(rounds: 500) { false }
        #expect(await harness.desired() == ["1/1/x1", "1/1/x2"], "not before its instant")
        harness.clock.advance(by: .milliseconds(50))
        #expect(await eventually { await harness.desired() == ["1/1/x2"] }, "left out at its instant")
        harness.clock.advance(by: .seconds(1))
        #expect(await eventually { harness.driver.ports == Self.ports("1/1/x2") })
        await harness.stop()
    }

    @Test func aReadyTransitionCancelsThePendingTimeout() async throws {
        let pods = TestPods()
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1")]), pods: pods) { $0.scheduling.resyncInterval = .seconds(3_600) }
        pods.set(Self.notReadyPod(harness.clock))
        #expect(await eventually { harness.clock.pendingDeadlines.contains(.milliseconds(300_050)) })
        harness.clock.advance(by: .seconds(100))
        var ready = Self.notReadyPod(harness.clock)
        ready.ready = .ready
        ready.readySince = harness.clock.wall(at: .seconds(100))
        pods.set(ready)
        #expect(await eventually { !harness.clock.pendingDeadlines.contains(.milliseconds(300_050)) })
        harness.clock.advance(by: .seconds(600))
        _ = await eventually(rounds: 500) { false }
        #expect(await harness.desired() == ["1/1/x1"])
        #expect(harness.driver.pushes == [Self.ports("1/1/x1")])
        await harness.stop()
    }

    @Test func theResyncRepairsDrift() async throws {
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1")]))
        // The resync is armed 300 s (--resync-interval, jitter off) after the first push.
        #expect(await eventually { harness.driver.pushes.count == 1 && harness.clock.pendingDeadlines.contains(.seconds(300)) })
        harness.driver.drift(to: Self.ports("1/1/x5"))
        harness.clock.advance(by: .seconds(299))
        _ = await eventually(rounds: 500) { false }
        #expect(harness.driver.ports == Self.ports("1/1/x5"), "not before the resync interval")
        harness.clock.advance(by: .seconds(1))
        #expect(await eventually { harness.driver.ports == Self.ports("1/1/x1") })
        #expect(harness.driver.pushes.count == 2)
        await harness.stop()
    }

    /// Issue 13 fix 1: SIGTERM during a plan that then completes: `pushed`, its Event and status.
    @Test func aPushThatCompletesDuringShutdownIsRecordedAsPushed() async throws {
        let harness = Harness(nodes: TestNodes([("a", "1_1_x1")]))
        harness.driver.holdNextPush()
        #expect(await eventually { harness.driver.isHoldingAPush })
        harness.task.cancel()
        #expect(await eventually { harness.driver.heldPushWasCancelled })
        harness.driver.finishHeldPush()
        _ = await harness.task.result
        #expect(harness.reporter.tapEvents == ["TapReconfigured"])
        #expect(harness.reporter.published.last?.applied == Self.ports("1/1/x1"))
        #expect(harness.reporter.published.last?.lastPushResult == "pushed")
    }
}
