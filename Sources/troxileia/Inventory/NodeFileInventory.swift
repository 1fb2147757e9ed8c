import TroxileiaCore

/// The nodes of a NodeList file as a `NodeInventory`: for benchmarks and trials without a
/// cluster (`troxileia run --nodes-file FILE`). Read once at startup; synced from the start.
final class NodeFileInventory: NodeInventory {
    private let loaded: NodeSnapshot

    /// Reads `path` with `validate`'s reader (JSON or YAML, Node, NodeList or List).
    init(path: String, keys: LabelKeys) throws {
        let input = try InputFile(path)
        let document = try NodeFileDecoder.decode(input, start: try input.readStart())
        loaded = NodeSnapshot(nodes: document.nodes, keys: keys)
    }

    func snapshot() -> NodeSnapshot { loaded }

    var isSynced: Bool { true }

    /// One value, then the end: a file does not change under a running process.
    func changes() -> AsyncStream<Int> {
        AsyncStream { continuation in
            continuation.yield(0)
            continuation.finish()
        }
    }
}
