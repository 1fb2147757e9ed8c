import Foundation

/// Runs one blocking SSH session on a thread of its own and bridges its result to async code
/// (STYLE.md "Concurrency": libssh2 calls never run on the concurrency pool). Cancelling the waiting
/// task fires the session's `CancellationSignal`, which every wait of the session polls.
enum SessionThread {
    /// Runs `body` on a new thread and returns its result.
    /// - Throws: what `body` throws; `.cancelled` when the task was cancelled before or during it.
    static func run<Result: Sendable>(
        name: String,
        _ body: @escaping @Sendable (CancellationSignal) throws(TapError) -> Result
    ) async throws(TapError) -> Result {
        let cancellation = try CancellationSignal()
        let outcome: Swift.Result<Result, TapError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    do throws(TapError) {
                        continuation.resume(returning: .success(try body(cancellation)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                thread.name = name
                thread.start()
            }
        } onCancel: {
            cancellation.fire()
        }
        return try outcome.get()
    }
}
