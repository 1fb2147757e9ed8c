import Reconciler
import Synchronization
import TroxileiaCore

/// Records Events and status writes. A status write can be held (`holdNextPublish()`) so a test
/// can check that later writes wait for it.
final class TestReporter: ReconcilerReporter {
    private struct State {
        var nodeEvents: [NodeEvent] = []
        var tapEvents: [String] = []
        var published: [ReconcilerStatus] = []
        var holdNext = false
        var held: CheckedContinuation<Void, Never>?
        var writesStarted = 0
    }

    private let state = Mutex(State())

    /// Tap Event reasons, in order.
    var tapEvents: [String] { state.withLock { $0.tapEvents } }
    /// Node Events, in order.
    var nodeEvents: [NodeEvent] { state.withLock { $0.nodeEvents } }
    /// Finished status writes, in the order they finished.
    var published: [ReconcilerStatus] { state.withLock { $0.published } }
    /// Status writes started so far.
    var writesStarted: Int { state.withLock { $0.writesStarted } }
    /// Whether a status write is being held.
    var isHoldingAWrite: Bool { state.withLock { $0.held != nil } }

    func record(_ event: NodeEvent) { state.withLock { $0.nodeEvents.append(event) } }

    func recordTap(warning: Bool, reason: String, note: String) { state.withLock { $0.tapEvents.append(reason) } }

    func publish(_ status: ReconcilerStatus) async {
        let hold = state.withLock { state in
            state.writesStarted += 1
            defer { state.holdNext = false }
            return state.holdNext
        }
        if hold {
            await withCheckedContinuation { continuation in state.withLock { $0.held = continuation } }
        }
        state.withLock { $0.published.append(status) }
    }

    /// The next status write waits for `finishHeldWrite()`.
    func holdNextPublish() { state.withLock { $0.holdNext = true } }
    /// Lets the held write finish.
    func finishHeldWrite() {
        state.withLock { state in
            defer { state.held = nil }
            return state.held
        }?.resume()
    }
}
