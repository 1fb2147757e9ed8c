internal import CLinuxShims
import Glibc
import Synchronization

/// How a session ends early: an eventfd the session thread polls next to its socket, so cancelling the
/// Swift task (or the push deadline passing) reaches the C side at once (STYLE.md "Concurrency").
///
/// Two rules keep the tap consistent:
/// - While the plan runs (`deferringCancellation`), waits do not poll the signal: a plan stopped
///   between its deletions and its creations would leave the tap sending to no sensor. The push
///   deadline still bounds every wait. When the deferred work ends, the caller gets what it returned
///   (or threw), not the cancellation: the outcome is what the tap went through (issue 13).
/// - Outside that, the waiting task is released at once (`earlyExit`), even while the thread is
///   stuck where no signal reaches (`getaddrinfo` has no timeout); the thread finishes on its own.
///
/// `@unchecked Sendable`: the descriptor is set once and closed in `deinit`; everything else is in
/// the `Mutex`; `write(2)` to an eventfd is safe from any thread.
final class CancellationSignal: @unchecked Sendable {
    /// The eventfd; readable once fired.
    let descriptor: Int32
    private struct State {
        var deferred = false
        var ending: TapError?
        var earlyExit: (@Sendable (TapError) -> Void)?
    }
    private let state = Mutex(State())

    /// A new, unfired signal.
    /// - Throws: `TapError.sshFailed` when the process is out of descriptors.
    init() throws(TapError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else {
            throw .sshFailed(stage: "create a cancellation signal", code: errno, message: String(cString: strerror(errno)))
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Cancels the session (the waiting task was cancelled).
    func fire() { end(with: .cancelled) }

    /// Ends the session with `error` (the push deadline passed while nothing on the thread noticed).
    func expire(_ error: TapError) { end(with: error) }

    /// Whether waits should ignore the signal now.
    var isDeferred: Bool { state.withLock { $0.deferred } }

    /// Runs `body` with cancellation deferred; a signal fired meanwhile takes effect at the next wait after it.
    ///
    /// A signal fired during `body` does not release the caller when `body` ends: the session's result
    /// (what `body` returned or threw) reaches it when the thread finishes, so a plan that completed is
    /// reported as completed. The push deadline still bounds the thread.
    /// - Throws: the ending without running `body` when the signal fired before (the caller may be gone).
    func deferringCancellation<Value>(_ body: () throws(TapError) -> Value) throws(TapError) -> Value {
        let ended = state.withLock { state -> TapError? in
            if state.ending == nil { state.deferred = true }
            return state.ending
        }
        if let ended { throw ended }
        defer { state.withLock { $0.deferred = false } }
        return try body()
    }

    /// Registers how to release the waiting task early; called at once when the signal already fired.
    func onEarlyExit(_ exit: @escaping @Sendable (TapError) -> Void) {
        let pending = state.withLock { state -> TapError? in
            state.earlyExit = exit
            return state.deferred ? nil : state.ending
        }
        if let pending { exit(pending) }
    }

    private func end(with error: TapError) {
        var one: UInt64 = 1
        _ = write(descriptor, &one, MemoryLayout<UInt64>.size)
        let exit = state.withLock { state -> (@Sendable (TapError) -> Void)? in
            if state.ending == nil { state.ending = error }
            return state.deferred ? nil : state.earlyExit
        }
        exit?(error)
    }
}
