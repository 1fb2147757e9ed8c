import FoundationEssentials
import Glibc
import NativeThread
import Synchronization
internal import CCurl

/// The transport's one thread: a libcurl multi loop that runs every transfer, so no blocking or
/// libcurl call ever happens on the Swift concurrency pool.
///
/// Other threads talk to it only through `inbox` (a mutex-guarded queue of jobs to start, sinks
/// whose transfer to abort and paused streams to resume) followed by `curl_multi_wakeup`. The loop takes the queue,
/// drives `curl_multi_perform`, hands out finished transfers, and sleeps in `curl_multi_poll`
/// (at most `pollLimit`, sooner for a socket, a libcurl timer or a wakeup).
final class CurlTransferLoop: @unchecked Sendable {
    // Invariant: `multi` and `transfers` are used only on the loop thread, except
    // `multi.wakeup()`, which libcurl allows from any thread and which other threads call only
    // while holding `inbox`'s lock and seeing `isStopping == false`; the loop closes `multi` only
    // after it has seen `isStopping` under that lock, so a wakeup never meets a freed handle.
    // `configuration` is immutable.
    private let multi: CurlMultiHandle
    private let configuration: CurlTransport.Configuration
    private let inbox = Mutex(Inbox())
    /// Transfers in the multi, by their sink's identity (how cancellations name them). The
    /// transfer holds its sink, so the identity cannot be reused while the entry exists.
    private var transfers: [ObjectIdentifier: CurlTransfer] = [:]
    /// The longest single `curl_multi_poll`; only a bound, since wakeups and libcurl's own
    /// timers end a poll earlier.
    private let pollLimit: Int32 = 1000
    /// The reason given to transfers that the shutdown ends or refuses.
    private static let shutDown = "the transport has been shut down"

    private struct Inbox {
        var jobs: [CurlTransferJob] = []
        /// Held strongly, so an identity is not reused by a new sink before the loop reads it.
        var cancellations: [CurlTransferSink] = []
        /// Streams whose consumer drained its buffer: unpause their transfers.
        var resumptions: [CurlTransferSink] = []
        var isStopping = false
        var hasStopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Makes the multi handle; the thread starts with `start()`.
    /// - Throws: `CurlFailure` when libcurl cannot be initialised.
    init(configuration: CurlTransport.Configuration) throws(CurlFailure) {
        try CurlLibrary.initialize()
        multi = try CurlMultiHandle()
        self.configuration = configuration
    }

    /// Starts the loop thread.
    func start() {
        NativeThread.detachOrReport(name: "troxileia-curl") { [self] in run() }
    }

    /// Queues `job`; fails it at once with `.transport` when the loop has been stopped. Any thread.
    func submit(_ job: CurlTransferJob) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.isStopping else { return false }
            inbox.jobs.append(job)
            multi.wakeup()
            return true
        }
        if !accepted {
            job.sink.fail(.transport(operation: job.operation, reason: Self.shutDown))
        }
    }

    /// Aborts the transfer feeding `sink` (removes it from the multi, which closes its
    /// connection); nothing happens if it has finished or never started. Any thread.
    func cancel(_ sink: CurlTransferSink) {
        inbox.withLock { inbox in
            guard !inbox.isStopping else { return }
            inbox.cancellations.append(sink)
            multi.wakeup()
        }
    }

    /// Unpauses the transfer feeding `sink` (paused because its consumer's buffer was full);
    /// nothing happens if it has finished. Any thread.
    func resume(_ sink: CurlTransferSink) {
        inbox.withLock { inbox in
            guard !inbox.isStopping else { return }
            inbox.resumptions.append(sink)
            multi.wakeup()
        }
    }

    /// Asks the loop to fail every transfer with `.transport` and end its thread. Any thread.
    func stop() {
        inbox.withLock { inbox in
            guard !inbox.isStopping else { return }
            inbox.isStopping = true
            multi.wakeup()
        }
    }

    /// Returns once the loop thread has ended (after `stop()`).
    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = inbox.withLock { inbox -> Bool in
                if !inbox.hasStopped { inbox.stopWaiters.append(continuation) }
                return inbox.hasStopped
            }
            if stopped { continuation.resume() }
        }
    }

    // MARK: Loop thread only

    private func run() {
        while true {
            let (jobs, cancellations, resumptions, isStopping) = inbox.withLock { inbox in
                defer { inbox.jobs.removeAll(); inbox.cancellations.removeAll(); inbox.resumptions.removeAll() }
                return (inbox.jobs, inbox.cancellations, inbox.resumptions, inbox.isStopping)
            }
            if isStopping {
                for job in jobs { job.sink.fail(.transport(operation: job.operation, reason: Self.shutDown)) }
                break
            }
            for job in jobs { begin(job) }
            for sink in cancellations { abort(ObjectIdentifier(sink)) }
            for sink in resumptions { resumeTransfer(ObjectIdentifier(sink)) }
            do throws(CurlFailure) {
                try multi.perform()
            } catch {
                // A multi-level failure (out of memory): nothing in flight can be trusted any more.
                for key in Array(transfers.keys) { abort(key, failure: error.reason) }
            }
            while let (easy, result) = multi.nextFinished() {
                multi.remove(easy)
                guard let key = transfers.first(where: { $0.value.handle === easy })?.key,
                      let transfer = transfers.removeValue(forKey: key) else { continue }
                transfer.finished(result)
            }
            do throws(CurlFailure) {
                try multi.poll(milliseconds: pollLimit)
            } catch {
                // Nothing to wait on: pause briefly rather than spin, then try again.
                usleep(10_000)
            }
        }
        for key in Array(transfers.keys) { abort(key, failure: Self.shutDown) }
        let waiters = inbox.withLock { inbox in
            inbox.hasStopped = true
            defer { inbox.stopWaiters.removeAll() }
            return inbox.stopWaiters
        }
        multi.close()   // closes the cached connections now, not when the transport is released
        for waiter in waiters { waiter.resume() }
    }

    /// Makes the transfer for `job` and adds it to the multi, unless its caller has already gone.
    private func begin(_ job: CurlTransferJob) {
        guard !job.sink.isClosed else { return }
        do throws(KubeAPIError) {
            let transfer = try CurlTransfer(job: job, configuration: configuration)
            do throws(CurlFailure) {
                try multi.add(transfer.handle)
            } catch {
                throw KubeAPIError.transport(operation: job.operation, reason: error.reason)
            }
            transfers[ObjectIdentifier(job.sink)] = transfer
        } catch {
            job.sink.fail(error)
        }
    }

    /// Unpauses a transfer; libcurl may deliver the bytes it held from inside the call.
    private func resumeTransfer(_ key: ObjectIdentifier) {
        guard let transfer = transfers[key] else { return }
        do throws(CurlFailure) {
            try transfer.handle.resume()
        } catch {
            abort(key, failure: error.reason)
        }
    }

    /// Takes the transfer out of the multi and closes its sink: cancelled, or failed with `failure`.
    private func abort(_ key: ObjectIdentifier, failure: String? = nil) {
        guard let transfer = transfers.removeValue(forKey: key) else { return }
        multi.remove(transfer.handle)
        if let failure {
            transfer.sink.fail(.transport(operation: transfer.operation, reason: failure))
        } else {
            transfer.sink.cancel()
        }
    }
}
