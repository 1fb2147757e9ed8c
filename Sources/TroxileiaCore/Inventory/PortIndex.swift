/// Answers "which nodes hold this port?": the port index, or the index plus the webhook's
/// in-flight reservations.
public protocol PortHolders {
    /// Names of the nodes holding `port`, sorted.
    func holders(of port: TapPort) -> [String]
}

extension PortHolders {
    /// Names of the nodes other than `node` holding `port`, sorted.
    public func holders(of port: TapPort, excluding node: String) -> [String] {
        holders(of: port).filter { $0 != node }
    }
}

/// Which nodes hold which tap port.
///
/// A port is held by every node whose port label parses to it, whatever its sensor flag and
/// even while it terminates: the cable is physical, so two nodes claiming one port is a
/// conflict no matter which of them is a sensor right now. Holder names are sorted, so
/// messages naming them are stable.
public struct PortIndex: PortHolders, Sendable, Equatable {
    private var holdersByPort: [TapPort: [String]]

    /// Indexes `nodes` under the port label of `keys`; nodes without a valid port are left out.
    public init(nodes: some Sequence<NodeRecord>, keys: LabelKeys) {
        var holders: [TapPort: [String]] = [:]
        for node in nodes {
            guard let port = node.sensorLabels(keys).validPort else { continue }
            holders[port, default: []].append(node.name)
        }
        for port in holders.keys { holders[port]?.sort() }
        self.holdersByPort = holders
    }

    /// An empty index.
    public init() { holdersByPort = [:] }

    /// Names of the nodes labelled with `port`, sorted.
    public func holders(of port: TapPort) -> [String] { holdersByPort[port] ?? [] }

    /// Records `name` as a holder of `port`, keeping the holders sorted (issue 18: one node's change
    /// costs its port's holders, not the cluster). Nothing happens when it already holds it.
    public mutating func insert(_ name: String, holding port: TapPort) {
        var list = holdersByPort[port] ?? []
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle] < name { low = middle + 1 } else { high = middle }
        }
        guard low == list.count || list[low] != name else { return }
        list.insert(name, at: low)
        holdersByPort[port] = list
    }

    /// Forgets `name` as a holder of `port`; a port left without holders disappears.
    public mutating func remove(_ name: String, holding port: TapPort) {
        guard var list = holdersByPort[port] else { return }
        list.removeAll { $0 == name }
        holdersByPort[port] = list.isEmpty ? nil : list
    }

    /// Every port held by more than one node, with its holders; sorted by port.
    public var conflicts: [PortConflict] {
        holdersByPort.compactMap { port, nodes in nodes.count > 1 ? PortConflict(port: port, nodes: nodes) : nil }
            .sorted { $0.port < $1.port }
    }

    /// Number of distinct ports held.
    public var count: Int { holdersByPort.count }
}

/// A tap port labelled on more than one node.
public struct PortConflict: Hashable, Sendable {
    /// The contested port.
    public let port: TapPort
    /// Every node that carries it, sorted.
    public let nodes: [String]

    public init(port: TapPort, nodes: [String]) {
        self.port = port
        self.nodes = nodes
    }
}
