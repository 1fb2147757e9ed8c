import KubeAPI
import Synchronization

/// Whether this replica may push (DESIGN.md "Process layout": only the Lease holder pushes). The
/// reconciler re-reads `isLeader` immediately before each push.
public protocol Leadership: Sendable {
    /// Exact at the moment it is read.
    var isLeader: Bool { get }
    /// The holder's identity for the status ConfigMap (this replica's when leading).
    var holder: String? { get }
    /// Every change of `isLeader`, starting with the current value.
    func changes() -> AsyncStream<Bool>
}

/// `--leader-elect=false`: this replica always leads (one replica, or tests).
public struct SoleLeader: Leadership {
    /// The identity shown as holder.
    public let identity: String

    /// A leadership that never changes.
    public init(identity: String) { self.identity = identity }

    public var isLeader: Bool { true }
    public var holder: String? { identity }
    public func changes() -> AsyncStream<Bool> {
        AsyncStream { continuation in
            continuation.yield(true)
            // Never finished: leadership never ends before the process does.
        }
    }
}

/// Leadership from a `LeaderElector` on a Lease: its `onChange` callback feeds `changes()`.
public final class LeaseLeadership: Leadership {
    private let state = Mutex<(isLeader: Bool, listeners: [AsyncStream<Bool>.Continuation])>((false, []))
    private let elector = Mutex<LeaderElector?>(nil)

    /// A leadership not attached yet: pass `changed(_:)` as the elector's `onChange`, then `attach(_:)`.
    public init() {}

    /// Attaches the elector whose `isLeader` is read before each push.
    public func attach(_ elector: LeaderElector) { self.elector.withLock { $0 = elector } }

    /// The elector's change callback.
    public func changed(_ change: LeaderElector.Change) {
        // Yielded under the lock, so a listener registering at the same moment sees the values in order.
        state.withLock { state in
            state.isLeader = change.isLeader
            for listener in state.listeners { listener.yield(change.isLeader) }
        }
    }

    public var isLeader: Bool { elector.withLock { $0?.isLeader ?? false } }
    public var holder: String? { elector.withLock { $0?.holder } }

    public func changes() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(8))
        state.withLock { state in
            state.listeners.append(continuation)
            continuation.yield(state.isLeader)
        }
        return stream
    }
}
