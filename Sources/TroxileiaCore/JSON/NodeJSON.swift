/// Reads Nodes out of JSON the way `kubectl get nodes -o json` and the API print them, keeping
/// only a `NodeRecord`'s fields: the one place node metadata is read from JSON.
public enum NodeJSON {
    /// Reads a Node's `metadata` object (the skimmer is at it) into a record.
    /// A missing name reads as empty; the caller decides what that means.
    public static func readMetadata(_ skimmer: inout JSONSkimmer) throws(JSONSkimError) -> NodeRecord {
        try ObjectMetadata.read(&skimmer).nodeRecord
    }

    /// Reads one object that may be a Node: its `kind` (absent in typed list items) and metadata.
    public static func readObject(_ skimmer: inout JSONSkimmer) throws(JSONSkimError) -> (kind: String?, node: NodeRecord?) {
        var kind: String?
        var node: NodeRecord?
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            switch key {
            case "kind": kind = try skimmer.readOptionalString()
            case "metadata": node = try readMetadata(&skimmer)
            default: break
            }
        }
        return (kind, node)
    }

    /// Reads a document holding a Node, a NodeList, a `List` (what kubectl prints for several
    /// objects), a `PartialObjectMetadataList` of nodes, or a bare array of Nodes. Items that are not Nodes, or have no name, are
    /// reported in `skipped` rather than failing the whole document.
    public static func readDocument(_ data: [UInt8]) throws(NodeDocumentError) -> NodeDocument {
        var document = NodeDocument()
        var kind: String?
        var topMetadata: NodeRecord?
        var hasItems = false
        do {
            try JSONSkimmer.skim(data) { skimmer throws(JSONSkimError) in
                switch try skimmer.peekKind() {
                case .array:
                    hasItems = true
                    try readItems(&skimmer, into: &document)
                case .object:
                    try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                        switch key {
                        case "kind": kind = try skimmer.readOptionalString()
                        case "metadata": topMetadata = try readMetadata(&skimmer)
                        case "items" where try skimmer.peekKind() == .array:
                            hasItems = true
                            try readItems(&skimmer, into: &document)
                        default: break
                        }
                    }
                default:
                    throw skimmer.error("expected a Node, NodeList or List object")
                }
            }
        } catch {
            throw .malformed(error)
        }
        switch kind {
        case "Node":
            guard let node = topMetadata, !node.name.isEmpty else { throw .nodeWithoutName }
            document.nodes.append(node)
        case "NodeList", "List", "PartialObjectMetadataList", nil:
            guard hasItems else { throw .notNodes(kind: kind) }
        default:
            throw .notNodes(kind: kind)
        }
        return document
    }

    /// Item kinds read as Nodes: a Node, or its metadata-only form in a metadata list.
    private static let nodeKinds: Set<String> = ["Node", "PartialObjectMetadata"]

    private static func readItems(_ skimmer: inout JSONSkimmer, into document: inout NodeDocument) throws(JSONSkimError) {
        try skimmer.forEachElement { skimmer, index throws(JSONSkimError) in
            guard try skimmer.peekKind() == .object else {
                document.skipped.append(NodeDocument.SkippedItem(index: index, name: nil, reason: "not an object"))
                return
            }
            let (kind, node) = try readObject(&skimmer)
            if let kind, !nodeKinds.contains(kind) {
                document.skipped.append(.init(index: index, name: node?.name, reason: "a \(kind), not a Node"))
            } else if let node, !node.name.isEmpty {
                document.nodes.append(node)
            } else {
                document.skipped.append(.init(index: index, name: nil, reason: "no metadata.name"))
            }
        }
    }
}

/// The Nodes of one document, and the items that were not Nodes.
public struct NodeDocument: Sendable, Equatable {
    /// An item left out of a list, and why.
    public struct SkippedItem: Sendable, Equatable {
        /// Position in the list, from 0.
        public let index: Int
        /// Its `metadata.name`, when it has one.
        public let name: String?
        /// Why it was left out.
        public let reason: String

        public init(index: Int, name: String?, reason: String) {
            self.index = index
            self.name = name
            self.reason = reason
        }
    }

    /// The Nodes, in document order.
    public var nodes: [NodeRecord] = []
    /// Items that were left out.
    public var skipped: [SkippedItem] = []

    public init(nodes: [NodeRecord] = [], skipped: [SkippedItem] = []) {
        self.nodes = nodes
        self.skipped = skipped
    }
}

/// A document that holds no Nodes to read.
public enum NodeDocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not well-formed JSON.
    case malformed(JSONSkimError)
    /// Well-formed, but of another kind, or a list without items.
    case notNodes(kind: String?)
    /// A Node without `metadata.name`.
    case nodeWithoutName

    public var description: String {
        switch self {
        case .malformed(let error): "\(error)"
        case .notNodes(let kind?) where ["NodeList", "List"].contains(kind): "the \(kind) has no items array"
        case .notNodes(let kind?): "expected a Node, NodeList or List, found kind \(kind)"
        case .notNodes(nil): "expected a Node, NodeList or List, found an object with neither kind nor items"
        case .nodeWithoutName: "the Node has no metadata.name"
        }
    }
}
