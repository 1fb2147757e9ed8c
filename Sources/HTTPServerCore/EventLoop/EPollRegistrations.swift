/// What an epoll event carries back: the descriptor and the id of the registration that watched it
/// (swift-nio's `EPollUserData` packs the same pair into epoll's 64-bit user data).
///
/// Descriptor numbers are reused at once: a connection closed by a job early in one `epoll_wait`
/// batch and a new one accepted on the same number later in it would otherwise receive the old
/// connection's queued events (`EPOLLERR` for a healthy socket). The id tells them apart.
struct EPollUserData: Hashable, Sendable {
    /// The watched descriptor.
    let descriptor: Int32
    /// Unique per registration in one loop (wraps after 2³² registrations; 0 is never used).
    let registrationID: UInt32

    /// The pair for `descriptor` under `registrationID`.
    init(descriptor: Int32, registrationID: UInt32) {
        self.descriptor = descriptor
        self.registrationID = registrationID
    }

    /// Unpacks epoll's `data.u64`.
    init(packed: UInt64) {
        descriptor = Int32(bitPattern: UInt32(truncatingIfNeeded: packed))
        registrationID = UInt32(truncatingIfNeeded: packed >> 32)
    }

    /// The value for epoll's `data.u64`: id in the high half, descriptor in the low half.
    var packed: UInt64 { UInt64(registrationID) << 32 | UInt64(UInt32(bitPattern: descriptor)) }
}

/// The handlers one loop watches, by descriptor, each with its registration id. A pure value:
/// the event loop does the `epoll_ctl` calls and keeps this table in step with them.
struct EPollRegistrations<Handler> {
    private var entries: [Int32: (id: UInt32, handler: Handler)] = [:]
    private var lastID: UInt32 = 0

    /// An empty table.
    init() {}

    /// Records `handler` for `descriptor` under a fresh id (replacing any older registration).
    /// - Returns: the user data to give epoll for it.
    mutating func add(_ descriptor: Int32, handler: Handler) -> EPollUserData {
        lastID = lastID == .max ? 1 : lastID + 1
        entries[descriptor] = (lastID, handler)
        return EPollUserData(descriptor: descriptor, registrationID: lastID)
    }

    /// The user data of the live registration of `descriptor`, if any.
    func userData(for descriptor: Int32) -> EPollUserData? {
        entries[descriptor].map { EPollUserData(descriptor: descriptor, registrationID: $0.id) }
    }

    /// Forgets `descriptor`'s registration; its queued events are dropped from now on.
    mutating func remove(_ descriptor: Int32) { entries[descriptor] = nil }

    /// The handler an event is for: `nil` when its registration is gone, even if the same
    /// descriptor number is registered again since.
    func handler(for event: EPollUserData) -> Handler? {
        guard let entry = entries[event.descriptor], entry.id == event.registrationID else { return nil }
        return entry.handler
    }

    /// Every registered handler (to close them all).
    var handlers: [Handler] { entries.values.map(\.handler) }

    /// How many descriptors are registered.
    var count: Int { entries.count }
}
