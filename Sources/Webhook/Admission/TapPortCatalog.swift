import Synchronization
import TroxileiaCore

/// The tap's ports as the leader last read them (`show port`, published in the status ConfigMap's
/// `tapPorts`), so admission can warn at once about a label naming a port the tap lacks (issue 15).
/// A warning, never a denial: the list may be stale, and the push leaves such a port out anyway.
public final class TapPortCatalog: Sendable {
    private let ports = Mutex<Set<TapPort>?>(nil)

    /// A catalog that knows no ports yet (no warning until the first `update`).
    public init() {}

    /// The ports as last read; `nil` when unknown (no status yet, or the tap showed no port table).
    public func update(_ ports: [TapPort]?) {
        let set = ports.map(Set.init)
        self.ports.withLock { $0 = set }
    }

    /// The admission warning for a node claiming `port`, `nil` when the tap has it or its ports are unknown.
    public func warning(node: String, port: TapPort) -> String? {
        guard let known = ports.withLock({ $0 }), !known.isEmpty, !known.contains(port) else { return nil }
        return "node \(node): the tap does not list port \(port.cliName) (\(known.count) ports as last read by the leader); "
            + "the node gets no traffic until its port label names a port the tap has"
    }
}
