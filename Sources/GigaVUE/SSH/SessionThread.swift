import FoundationEssentials
import NativeThread
import Synchronization

/// Runs one blocking SSH session on a thread of its own and bridges its result to async code
/// (STYLE.md "Concurrency": libssh2 calls never run on the concurrency pool). Cancelling the waiting
/// task, or reaching `deadline`, fires the session's `CancellationSignal`: the thread's waits end, and
/// unless the plan is running (`deferringCancellation`) the caller is released at once; a deferred
/// plan's caller gets the session's own result.
enum SessionThread {
    /// Runs `body` on a new thread and returns its result.
    /// - Throws: what `body` throws; `.cancelled` when the task was cancelled; `deadline.error` when the
    ///   session outlived it.
    static func run<Result: Sendable>(
        name: String, deadline: Deadline,
        _ body: @escaping @Sendable (CancellationSignal) throws(TapError) -> Result
    ) async throws(TapError) -> Result {
        let signal = try CancellationSignal()
        let outcome: Swift.Result<Result, TapError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let once = ResumeOnce(continuation)
                let watchdog = Task {
                    try? await Task.sleep(until: deadline.instant, clock: .continuous)
                    if !Task.isCancelled { signal.expire(deadline.error) }
                }
                signal.onEarlyExit { error in once.resume(.failure(error)) }
                do throws(NativeThread.StartFailure) {
                    try NativeThread.detach(name: name) {
                        let result: Swift.Result<Result, TapError>
                        do throws(TapError) { result = .success(try body(signal)) } catch { result = .failure(error) }
                        watchdog.cancel()
                        once.resume(result)
                    }
                } catch {
                    watchdog.cancel()
                    once.resume(.failure(.sshFailed(stage: "start the session thread", code: error.code, message: "\(error)")))
                }
            }
        } onCancel: {
            signal.fire()
        }
        return try outcome.get()
    }
}

/// A continuation resumed by whichever comes first: the thread's result or an early exit.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
