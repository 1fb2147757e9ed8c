import HTTPServerCore
import Synchronization
import TroxileiaCore

/// Ports this replica has admitted but the node inventory does not show yet.
///
/// Two concurrent requests claiming one port for different nodes both see it free in the
/// inventory; the reservation made by the first makes the second see it taken. A reservation
/// ends when the inventory shows the node holding the port (confirmed) or after the TTL
/// (`--reservation-ttl`, default 10 s: the write it admitted has failed or been overtaken).
/// The decision and the reservation happen under one lock, so "at most one is admitted" holds.
public final class PortReservations: Sendable {
    private struct Reservation {
        let node: String
        let expires: ContinuousClock.Instant
    }

    private let byPort = Mutex<[TapPort: Reservation]>([:])
    private let ttl: Duration

    public init(ttl: Duration = .seconds(10)) { self.ttl = ttl }

    /// Decides with `decide` against `index` plus the live reservations, atomically with
    /// reserving the port the decision claims for `node` (unless `reserve` is false: a dry run).
    public func decide(now: ContinuousClock.Instant, index: PortIndex, node: String, reserve: Bool,
                       _ decide: (ReservedPorts) -> AdmissionDecision) -> AdmissionDecision {
        byPort.withLock { reservations in
            reservations = reservations.filter { port, reservation in
                reservation.expires > now && !index.holders(of: port).contains(reservation.node)
            }
            let decision = decide(ReservedPorts(index: index, reservations: reservations.mapValues(\.node)))
            if reserve, decision.isAllowed, let port = decision.claimedPort {
                reservations[port] = Reservation(node: node, expires: now.advanced(by: ttl))
            }
            return decision
        }
    }

    /// Ends `node`'s reservation of `port` (its admission was refused after all: another
    /// replica's claim won). Another node's reservation of the port is left alone.
    public func release(_ port: TapPort, for node: String) {
        byPort.withLock { reservations in
            if reservations[port]?.node == node { reservations[port] = nil }
        }
    }

    /// Live reservations (for tests and metrics).
    public var count: Int { byPort.withLock { $0.count } }
}

/// The port index plus reservations held for nodes that the index does not show yet.
public struct ReservedPorts: PortHolders {
    let index: PortIndex
    let reservations: [TapPort: String]

    public func holders(of port: TapPort) -> [String] {
        var holders = index.holders(of: port)
        if let reserved = reservations[port], !holders.contains(reserved) {
            holders.append(reserved)
            holders.sort()
        }
        return holders
    }
}
