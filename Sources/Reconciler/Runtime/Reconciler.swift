import GigaVUE
import Synchronization
import KubeAPI
import Logging
import ServiceLifecycle
import TroxileiaCore

/// Keeps the tap equal to the desired sensor set (issue 6) with `PushScheduler` deciding when to push,
/// one push at a time, only while leading. Events, the status ConfigMap and metrics report each step.
///
/// Level-based in what it pushes (always the whole desired set), incremental in how it gets there
/// (issue 18): a store change updates `IncrementalDesiredState` by the nodes the store's journal names
/// (and by the pods, when they changed), Events are derived for the nodes whose standing changed, and
/// the status lists are materialized only when the status is written, so a burst of node events
/// costs what the events cost, not the cluster size times their number.
///
/// Runs as a `Service`: SIGTERM cancels the push in flight (the driver closes its session cleanly)
/// and waits for it before returning.
///
/// Depends only on contracts (issue 13): the node and sensor pod inventories, the tap driver, the
/// leadership, the reporter and the clock are injected, so the actor is tested on a test clock.
public actor Reconciler: Service {
    enum Input: Sendable {
        case storesChanged
        case leadership(Bool)
        case timer(generation: Int)
        case podHealthDue(generation: Int)
        case pushFinished(PushScheduler.Reason, [TapPort], PushAttempt.Result, Duration)
    }

    let nodes: any NodeInventory
    let pods: (any SensorPodInventory)?
    let driver: any TapDriver
    let leadership: any Leadership
    let reporter: (any ReconcilerReporter)?
    let clock: any ReconcilerClock
    let metrics: ReconcilerMetrics?
    let configuration: Configuration
    let logger: Logger
    private let inputs: AsyncStream<Input>
    private let input: AsyncStream<Input>.Continuation

    var scheduler: PushScheduler
    var removalGuard: RemovalGuard
    /// The desired state, kept by delta; meaningful once `isSynced`.
    var state: IncrementalDesiredState
    /// Whether the stores have been read whole once (`state` is then current).
    var isSynced = false
    /// The desired state once the stores are synced, `nil` before.
    var desired: IncrementalDesiredState? { isSynced ? state : nil }
    /// Where the reconciler stands in the node store's change journal.
    private var nodeCursor: NodeChanges.Cursor?
    /// Whether Node Events have been reported against the current standings; cleared on gaining
    /// leadership, so a new leader reports the standing problems once.
    var eventsBaselined = false
    var isLeader = false
    var status = ReconcilerStatus()
    /// The ports the last push left out, to report each on its node once (issue 15).
    var tapRejections: [TapPort: TapPortRejection] = [:]
    /// The scheduler's timer; `deadline` is `nil` once it fired.
    private var timer: (generation: Int, task: Task<Void, Never>?, deadline: ContinuousClock.Instant?) = (0, nil, nil)
    private var podHealthTimer: (generation: Int, task: Task<Void, Never>?) = (0, nil)
    /// The push in flight; its value is the `.pushFinished` it also yields, so shutdown can record a
    /// push that ends after the loop stopped.
    private var pushTask: Task<Input, Never>?
    /// The last status write; each write waits for the one before, so they land in order.
    private var statusWrite: Task<Void, Never>?
    /// Set by the store feeders, cleared by the loop: a burst of store changes queues one recompute.
    private let storesDirty = DirtyFlag()
    /// Set by the pod feeder: the next recompute re-reads the pods (a node event does not).
    private let podsDirty = DirtyFlag()

    /// A reconciler over synced-or-syncing inventories. `pods` is `nil` when no pod watch is configured
    /// (`--sensor-apps` empty). `reporter` is `nil` without a cluster to report to. `clock` defaults to
    /// the system's clocks.
    public init(nodes: any NodeInventory, pods: (any SensorPodInventory)?, driver: any TapDriver,
                leadership: any Leadership, reporter: (any ReconcilerReporter)?, metrics: ReconcilerMetrics?,
                configuration: Configuration, clock: any ReconcilerClock = SystemReconcilerClock(), logger: Logger) {
        self.nodes = nodes
        self.pods = pods
        self.driver = driver
        self.leadership = leadership
        self.reporter = reporter
        self.clock = clock
        self.metrics = metrics
        self.configuration = configuration
        self.logger = logger
        (inputs, input) = AsyncStream.makeStream(of: Input.self)
        scheduler = PushScheduler(configuration: configuration.scheduling)
        state = IncrementalDesiredState(keys: nodes.labelKeys, defaultPodTimeout: configuration.podNotReadyTimeout)
        removalGuard = RemovalGuard(configuration: configuration.removal)
    }

    public func run() async throws {
        let input = self.input
        let dirty = self.storesDirty, podsDirty = self.podsDirty
        let changed: @Sendable () -> Void = {
            if dirty.mark() { input.yield(.storesChanged) }
        }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let nodes = self.nodes, pods = self.pods, leadership = self.leadership
                group.addTask { for await _ in nodes.changes() { changed() } }
                if let pods {
                    group.addTask {
                        for await _ in pods.changes() {
                            _ = podsDirty.mark()
                            changed()
                        }
                    }
                }
                group.addTask { for await leading in leadership.changes() { input.yield(.leadership(leading)) } }
                input.yield(.storesChanged)  // the stores may be synced already
                for await event in self.inputs { self.handle(event) }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            input.finish()
        }
        timer.task?.cancel()
        podHealthTimer.task?.cancel()
        if let pushTask {
            // A plan already running finishes (the driver defers cancellation during it), bounded by
            // --tap-push-timeout; anything before it stops at once. Its outcome is recorded like any
            // other: a plan that completed is `pushed`, with its Event and status (issue 13).
            pushTask.cancel()
            if case .pushFinished(let reason, let ports, let result, let duration) = await pushTask.value {
                self.pushTask = nil
                _ = record(result, reason: reason, ports: ports, duration: duration)
            }
        }
        await statusWrite?.value
        logger.info("reconciler stopped")
    }

    private func handle(_ event: Input) {
        let now = clock.now
        switch event {
        case .storesChanged:
            storesDirty.clear()
            recompute(now: now)
        case .podHealthDue(let generation) where generation == podHealthTimer.generation:
            recompute(now: now, healthDue: true)
        case .podHealthDue:
            break
        case .leadership(let leading):
            guard leading != isLeader else { return }
            isLeader = leading
            metrics?.leadership(leading)
            logger.notice(leading ? "leading: this replica pushes to the tap" : "not leading: another replica pushes",
                          metadata: ["leader": "\(leadership.holder ?? "unknown")"])
            if leading { eventsBaselined = false }
            recompute(now: now)
            perform(scheduler.leadershipChanged(isLeader: leading, now: now))
        case .timer(let generation) where generation == timer.generation:
            timer.deadline = nil
            perform(scheduler.timerFired(now: now))
        case .timer:
            break
        case .pushFinished(let reason, let ports, let result, let duration):
            pushTask = nil
            let outcome = record(result, reason: reason, ports: ports, duration: duration)
            perform(scheduler.pushFinished(outcome, now: clock.now, jitter: Double.random(in: 0..<1)))
        }
    }

    /// Brings the desired state up to date with the stores: the nodes changed since the last look,
    /// the pods when they changed, the pod-health verdict when due (`healthDue`) — then Events for the
    /// standings that changed, the metrics, and the scheduler when the desired ports changed.
    private func recompute(now: ContinuousClock.Instant, healthDue: Bool = false) {
        guard nodes.isSynced, pods?.isSynced ?? true else { return }
        let wasSynced = isSynced
        let changes = nodes.nodeChanges(after: nodeCursor)
        nodeCursor = changes.cursor
        let podsChanged = podsDirty.take() || !wasSynced
        let update = state.apply(changes, pods: podsChanged ? pods?.sensorPods() ?? [] : nil,
                                 evaluateHealth: healthDue, now: clock.wallNow)
        isSynced = true
        if isLeader, let reporter {
            reportEvents(update, to: reporter)
        }
        metrics?.desired(ports: state.portCount, excluded: state.excludedCount, leftOut: state.leftOutCounts)
        if update.healthEvaluated { schedulePodHealthCheck(state.nextCheck) }
        if !wasSynced {
            logger.info("stores synced", metadata: ["desired.ports": "\(state.portCount)"])
            perform(scheduler.storesSynced(now: now))
        } else if update.portsChanged {
            logger.info("desired tap ports changed", metadata: [
                "desired.ports": "\(state.portCount)",
                "desired.change": "\(Self.change(added: update.addedPorts, removed: update.removedPorts))",
            ])
            perform(scheduler.desiredChanged(now: now))
        }
    }

    /// Node Events for the standings `update` changed; after gaining leadership or an initial load,
    /// for every node once (against no standing before).
    private func reportEvents(_ update: IncrementalDesiredState.Update, to reporter: any ReconcilerReporter) {
        if eventsBaselined, !update.isInitialLoad {
            for standing in update.standings {
                guard let after = standing.after else { continue }
                for event in NodeEvent.transitions(of: after, before: standing.before) { reporter.record(event) }
            }
        } else {
            for name in state.nodeNames.sorted() {
                guard let node = state.standing(of: name) else { continue }
                for event in NodeEvent.transitions(of: node, before: nil) { reporter.record(event) }
            }
            eventsBaselined = true
        }
    }

    private func perform(_ action: PushScheduler.Action) {
        switch action {
        case .startPush(let reason):
            startPush(reason)
        case .wake(let instant):
            // A pending timer that fires no later stays: the scheduler, woken early, re-decides and
            // asks for the next wake itself. A burst whose every change moves the debounce later then
            // costs one timer per debounce period, not a task per change (issue 18).
            if let pending = timer.deadline, pending <= instant { return }
            timer.task?.cancel()
            let generation = timer.generation + 1
            let input = self.input, clock = self.clock
            timer = (generation, Task {
                try? await clock.sleep(until: instant)
                if !Task.isCancelled { input.yield(.timer(generation: generation)) }
            }, instant)
        case .abandonPush:
            pushTask?.cancel()
        case .idle:
            break
        }
    }

    private func startPush(_ reason: PushScheduler.Reason) {
        let ports = isSynced ? state.ports : []
        let attempt = PushAttempt(reason: reason, ports: ports, driver: driver, leadership: leadership,
                                  removalGuard: removalGuard)
        let input = self.input, clock = self.clock
        logger.info("push started", metadata: ["push.reason": "\(reason.rawValue)", "desired.ports": "\(ports.count)"])
        pushTask = Task {
            let started = clock.now
            let result = await attempt.run()
            let finished = Input.pushFinished(reason, ports, result, started.duration(to: clock.now))
            input.yield(finished)
            return finished
        }
    }

    private func schedulePodHealthCheck(_ next: KubeTime?) {
        podHealthTimer.task?.cancel()
        guard let next else { return }
        // Wall-clock instant → monotonic deadline, plus a little so the rule sees the timeout passed.
        let delay = max(0, next.secondsSinceEpoch - clock.wallNow.secondsSinceEpoch) + 0.05
        let deadline = clock.now + .milliseconds(Int((delay * 1000).rounded(.up)))
        let generation = podHealthTimer.generation + 1
        let input = self.input, clock = self.clock
        podHealthTimer = (generation, Task {
            try? await clock.sleep(until: deadline)
            if !Task.isCancelled { input.yield(.podHealthDue(generation: generation)) }
        })
    }

    /// Writes `status` after the previous write ended.
    func publish(_ status: ReconcilerStatus, through reporter: any ReconcilerReporter) {
        let previous = statusWrite
        statusWrite = Task {
            await previous?.value
            await reporter.publish(status)
        }
    }
}

/// A flag set from any thread: `mark()` tells whether it was clear (then the caller signals once).
final class DirtyFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Sets the flag; `true` when it was clear.
    func mark() -> Bool { !flag.exchange(true, ordering: .acquiringAndReleasing) }

    /// Clears the flag before the work it stands for starts.
    func clear() { flag.store(false, ordering: .releasing) }

    /// Clears the flag; `true` when it was set.
    func take() -> Bool { flag.exchange(false, ordering: .acquiringAndReleasing) }
}
