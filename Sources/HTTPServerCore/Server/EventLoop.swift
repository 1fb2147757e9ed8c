internal import CLinuxShims
import Foundation
import Synchronization

/// Something that reacts to readiness of one descriptor; called on its loop's thread only.
protocol EventLoopHandler: AnyObject {
    /// `events` is the epoll mask (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP).
    func handleEvents(_ events: UInt32)
}

/// One thread running `epoll_wait`: the server's blocking calls happen here, never on the
/// Swift concurrency pool. Handlers registered with a loop run only on its thread, so the
/// connection state they own needs no locks; other threads talk to the loop with `execute`.
final class EventLoop: @unchecked Sendable {
    // Invariant: `handlers`, `tickActions` and `isRunning` are touched only on the loop thread
    // (or before `start`); `jobs` is guarded by its mutex; the descriptors are immutable.
    private let epoll: Int32
    private let wakeup: Int32
    private var handlers: [Int32: EventLoopHandler] = [:]
    private var tickActions: [(ContinuousClock.Instant) -> Void] = []
    private var isRunning = true
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])
    /// How often `tickActions` run: the resolution of every connection timeout.
    let tickInterval: Duration

    init(tickInterval: Duration = .milliseconds(250)) throws(SocketError) {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError(operation: "create epoll instance", code: errno) }
        let wakeup = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeup >= 0 else {
            let code = errno
            close(epoll)
            throw SocketError(operation: "create eventfd", code: code)
        }
        self.epoll = epoll
        self.wakeup = wakeup
        self.tickInterval = tickInterval
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
    }

    deinit {
        close(wakeup)
        close(epoll)
    }

    /// Starts the loop's thread.
    func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Runs `job` on the loop thread soon. Callable from any thread.
    func execute(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
    }

    /// Asks the loop to stop after its current iteration. Callable from any thread.
    func stop() {
        execute { [self] in isRunning = false }
    }

    /// Waits until the loop thread has ended.
    func waitUntilFinished() async {
        await withCheckedContinuation { continuation in
            let done = finished.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters?.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: Loop thread only

    /// Adds `action` to what runs every `tickInterval`, with the current time.
    func onTick(_ action: @escaping (ContinuousClock.Instant) -> Void) { tickActions.append(action) }

    /// Watches `descriptor` for `events` and sends them to `handler`.
    func register(_ descriptor: Int32, events: UInt32, handler: EventLoopHandler) throws(SocketError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw SocketError(operation: "watch descriptor", code: errno)
        }
        handlers[descriptor] = handler
    }

    /// Changes the events watched on `descriptor`.
    func modify(_ descriptor: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Stops watching `descriptor` (before it is closed).
    func deregister(_ descriptor: Int32) {
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
        handlers[descriptor] = nil
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        let clock = ContinuousClock()
        var nextTick = clock.now.advanced(by: tickInterval)
        let tickMilliseconds = Int32(tickInterval.components.seconds * 1000 + tickInterval.components.attoseconds / 1_000_000_000_000_000)
        while isRunning {
            let ready = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), Swift.max(1, tickMilliseconds))
            }
            if ready > 0 {
                for index in 0..<Int(ready) {
                    let descriptor = events[index].data.fd
                    if descriptor == wakeup {
                        runJobs()
                    } else {
                        handlers[descriptor]?.handleEvents(events[index].events)
                    }
                }
            }
            let now = clock.now
            if now >= nextTick {
                for action in tickActions { action(now) }
                nextTick = now.advanced(by: tickInterval)
            }
        }
        let waiters = finished.withLock { waiters -> [CheckedContinuation<Void, Never>] in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    private func runJobs() {
        var count: UInt64 = 0
        _ = read(wakeup, &count, 8)
        let pending = jobs.withLock { jobs -> [@Sendable () -> Void] in
            defer { jobs.removeAll() }
            return jobs
        }
        for job in pending { job() }
    }
}
