import GigaVUE
import Synchronization
import TroxileiaCore

/// A tap in memory that plans like the real driver and reports `.applied`. A push can be held
/// (`holdNextPush()`): `apply` then waits, ignoring cancellation as the SSH driver does once its plan
/// runs, until `finishHeldPush()`.
final class TestTapDriver: TapDriver {
    private struct State {
        var ports: [TapPort] = []
        var applied: [[TapPort]] = []
        var holdNext = false
        var held: CheckedContinuation<Void, Never>?
        var cancelledWhileHeld = false
        var chassis: PortListing?
        var refusal: String?
    }

    private let policy = TapPolicy()
    private let state = Mutex(State())

    /// The ports on the tap now.
    var ports: [TapPort] { state.withLock { $0.ports } }
    /// Every set a push changed the tap to, in order.
    var pushes: [[TapPort]] { state.withLock { $0.applied } }
    /// Whether a push is waiting in `apply`.
    var isHoldingAPush: Bool { state.withLock { $0.held != nil } }
    /// Whether the held push's task was cancelled while it waited.
    var heldPushWasCancelled: Bool { state.withLock { $0.cancelledWhileHeld } }

    /// The chassis ports: a desired port outside them is left out like the SSH driver does (issue 15).
    func setChassis(_ ports: [TapPort]) {
        state.withLock { $0.chassis = PortListing(types: Dictionary(uniqueKeysWithValues: ports.map { ($0, "tool") })) }
    }

    /// The next push that changes the tap reports that the device refused the in-place plan with
    /// `answer` and the rebuild finished it, darkening the retained ports for 40 ms (issue 15).
    func refuseInPlaceNext(answer: String) { state.withLock { $0.refusal = answer } }

    /// Changes the tap behind the reconciler's back (drift).
    func drift(to ports: [TapPort]) { state.withLock { $0.ports = ports } }
    /// The next `apply` waits for `finishHeldPush()`.
    func holdNextPush() { state.withLock { $0.holdNext = true } }
    /// Lets the held push run to its end.
    func finishHeldPush() {
        state.withLock { state in
            defer { state.held = nil }
            return state.held
        }?.resume()
    }

    func currentSensorPorts() async throws(TapError) -> TapReading {
        TapReading(configuration: ManagedConfiguration.expected(for: ports, configuration: policy.plan), sourceGroupPorts: nil)
    }

    func apply(_ ports: [TapPort]) async throws(TapError) -> TapPushResult {
        var reading = try await currentSensorPorts()
        reading.portListing = state.withLock { $0.chassis }
        let screened = policy.screen(ports, reading: reading)
        guard let plan = try policy.plan(for: screened.usable, reading: reading) else {
            var result = TapPushResult(outcome: .unchanged, before: reading.sensorPorts, after: reading.sensorPorts)
            result.rejected = screened.rejected
            result.chassisPorts = reading.portListing?.ports
            return result
        }
        if state.withLock({ state in defer { state.holdNext = false }; return state.holdNext }) {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in state.withLock { $0.held = continuation } }
            } onCancel: {
                state.withLock { $0.cancelledWhileHeld = true }
            }
        }
        state.withLock { state in
            state.ports = plan.ports
            state.applied.append(plan.ports)
        }
        var result = TapPushResult(outcome: .applied(plan), before: reading.sensorPorts, after: plan.ports)
        result.rejected = screened.rejected
        result.inPlaceRefusal = state.withLock { state in defer { state.refusal = nil }; return state.refusal }
        let dark: Duration = result.inPlaceRefusal == nil ? .zero : .milliseconds(40)
        result.darkTime = Dictionary(uniqueKeysWithValues: reading.sensorPorts.filter(plan.ports.contains).map { ($0, dark) })
        result.chassisPorts = reading.portListing?.ports
        return result
    }
}
