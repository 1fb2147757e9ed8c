internal import CLinuxShims
import FoundationEssentials
import Glibc
import NativeThread
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
    // Invariant: `registrations`, `tickActions`, `stopActions` and `isRunning` are touched only on
    // the loop thread (or before `start`); `jobs` and `finished` are guarded by their mutexes; the
    // descriptors are immutable. The loop thread holds the loop (and through its handlers and
    // actions everything it runs) until it ends, then lets go of all of it: nothing it runs can
    // outlive it or be freed under it.
    private let epoll: Int32
    private let wakeup: Int32
    private var registrations = EPollRegistrations<EventLoopHandler>()
    private var tickActions: [(ContinuousClock.Instant) -> Void] = []
    private var stopActions: [() -> Void] = []
    private var isRunning = true
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])
    /// How often `tickActions` run: the resolution of every connection timeout.
    let tickInterval: Duration

    /// The wakeup eventfd's user data: registration id 0, which `EPollRegistrations` never hands out.
    private var wakeupData: EPollUserData { EPollUserData(descriptor: wakeup, registrationID: 0) }

    /// Creates the epoll instance and its wakeup eventfd; the thread starts with `start(name:)`.
    /// - Throws: `SocketError` when the process is out of descriptors (nothing is left open then).
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
        do throws(SocketError) {
            try control(EPOLL_CTL_ADD, wakeup, events: EPOLLIN.rawValue, data: wakeupData)
        } catch {
            close(wakeup)
            close(epoll)
            throw error
        }
    }

    deinit {
        close(wakeup)
        close(epoll)
    }

    /// Starts the loop's thread.
    func start(name: String) {
        NativeThread.detachOrReport(name: name) { [self] in run() }
    }

    /// Runs `job` on the loop thread soon. Callable from any thread; after the loop ended the job
    /// is dropped unrun.
    func execute(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
    }

    /// Asks the loop to stop after its current iteration; its stop actions then run on its thread.
    /// Callable from any thread.
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

    /// Adds `action` to what runs on the loop thread when it stops (closing what it still holds).
    func onStop(_ action: @escaping () -> Void) { stopActions.append(action) }

    /// Watches `descriptor` for `events` and sends them to `handler`, under a new registration id.
    /// - Throws: `SocketError` from `epoll_ctl`; nothing is registered then.
    func register(_ descriptor: Int32, events: UInt32, handler: EventLoopHandler) throws(SocketError) {
        var table = registrations
        let data = table.add(descriptor, handler: handler)
        try control(EPOLL_CTL_ADD, descriptor, events: events, data: data)
        registrations = table
    }

    /// Changes the events watched on `descriptor`.
    /// - Throws: `SocketError` from `epoll_ctl` (the caller closes the connection).
    func modify(_ descriptor: Int32, events: UInt32) throws(SocketError) {
        guard let data = registrations.userData(for: descriptor) else {
            throw SocketError(operation: "change watched events", code: ENOENT)
        }
        try control(EPOLL_CTL_MOD, descriptor, events: events, data: data)
    }

    /// Stops watching `descriptor` (before it is closed); its queued events are dropped.
    func deregister(_ descriptor: Int32) {
        registrations.remove(descriptor)
        // Fails only for a descriptor epoll no longer has (ENOENT, EBADF): then there is nothing to undo.
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, events: UInt32, data: EPollUserData) throws(SocketError) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = data.packed
        guard epoll_ctl(epoll, operation, descriptor, &event) == 0 else {
            throw SocketError(operation: "watch descriptor \(descriptor) (epoll_ctl)", code: errno)
        }
    }

    /// Hands one batch of ready events to their handlers; an event whose registration is gone
    /// (closed earlier in the batch, its number perhaps reused since) is dropped.
    func dispatch(_ event: EPollUserData, events: UInt32) {
        if event == wakeupData {
            runJobs()
        } else {
            registrations.handler(for: event)?.handleEvents(events)
        }
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
            if ready < 0 && errno != EINTR {
                // Only a bug can make epoll_wait fail (its descriptor closed under it): wait a tick
                // rather than spin a core on the failure.
                usleep(UInt32(Swift.max(1, tickMilliseconds)) * 1000)
            }
            for index in 0..<Int(Swift.max(0, ready)) {
                dispatch(EPollUserData(packed: events[index].data.u64), events: events[index].events)
            }
            let now = clock.now
            if now >= nextTick {
                for action in tickActions { action(now) }
                nextTick = now.advanced(by: tickInterval)
            }
        }
        for action in stopActions { action() }
        // Let go of everything the loop ran, so the cycles through handlers and actions end here.
        stopActions = []
        tickActions = []
        registrations = EPollRegistrations()
        jobs.withLock { $0.removeAll() }
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
