/// Builds `YAMLNode` trees from a `YAMLParser`, for small documents read whole (kubeconfig).
///
/// Aliases are resolved to the node their anchor names (shared, not copied: a node is a value), and
/// bounded: every alias counts the nodes it stands for against `maximumNodes`, so a "billion laughs"
/// document fails after at most that many instead of exhausting memory in whoever walks the tree.
/// Duplicate keys in a mapping are refused, as Yams refused them.
public struct YAMLComposer {
    /// Most nodes one document may hold, aliases counted expanded. Default 1 Mi: a 4 MiB
    /// kubeconfig has at most a few hundred thousand.
    public var maximumNodes: Int

    private let parser: YAMLParser
    private var anchors: [String: (node: YAMLNode, weight: Int)] = [:]
    private var nodes = 0

    public init(_ parser: YAMLParser, maximumNodes: Int = 1 << 20) {
        self.parser = parser
        self.maximumNodes = maximumNodes
    }

    /// The only document of `bytes`, `nil` when the stream holds none (empty or only comments).
    /// - Throws: `YAMLError` when the text is not YAML, holds more than one document, or passes a bound.
    public static func singleDocument(_ bytes: some Collection<UInt8>, configuration: YAMLParser.Configuration = .init(),
                                      maximumNodes: Int = 1 << 20) throws(YAMLError) -> YAMLNode? {
        var composer = YAMLComposer(try YAMLParser(bytes: bytes, configuration: configuration), maximumNodes: maximumNodes)
        guard let root = try composer.nextDocument() else { return nil }
        if case .documentStart(let mark) = try composer.parser.next() {
            throw YAMLError(.syntax, "but found another document", at: mark,
                            context: "expected a single document in the stream", contextMark: YAMLMark(line: 1, column: 1))
        }
        return root
    }

    /// The root of the next document; `nil` at the end of the stream.
    public mutating func nextDocument() throws(YAMLError) -> YAMLNode? {
        var event = try parser.next()
        if case .streamStart = event { event = try parser.next() }
        guard case .documentStart = event else { return nil }
        anchors = [:]
        nodes = 0
        let root = try node(from: try parser.next())
        _ = try parser.next()  // .documentEnd
        return root
    }

    private mutating func node(from event: YAMLEvent) throws(YAMLError) -> YAMLNode {
        switch event {
        case .scalar(let scalar):
            try count(1, at: scalar.mark)
            let node = YAMLNode.scalar(scalar)
            if let anchor = scalar.anchor { anchors[anchor] = (node, 1) }
            return node
        case .alias(let anchor, let mark):
            guard let (node, weight) = anchors[anchor] else {
                throw YAMLError(.syntax, "found undefined alias \(anchor)", at: mark)
            }
            try count(weight, at: mark)
            return node
        case .sequenceStart(let anchor, _, let mark):
            let before = nodes
            try count(1, at: mark)
            var items: [YAMLNode] = []
            while true {
                let next = try parser.next()
                if case .sequenceEnd = next { break }
                items.append(try node(from: next))
            }
            let node = YAMLNode.sequence(items, mark: mark)
            if let anchor { anchors[anchor] = (node, nodes - before) }
            return node
        case .mappingStart(let anchor, _, let mark):
            let before = nodes
            try count(1, at: mark)
            var pairs: [YAMLNode.Pair] = []
            var keys: Set<KeyIdentity> = []
            while true {
                let next = try parser.next()
                if case .mappingEnd = next { break }
                let key = try node(from: next)
                if case .scalar(let scalar) = key, !keys.insert(KeyIdentity(scalar)).inserted {
                    throw YAMLError(.syntax, "found duplicate key \(scalar.value) in a mapping", at: scalar.mark)
                }
                pairs.append(YAMLNode.Pair(key: key, value: try node(from: try parser.next())))
            }
            let node = YAMLNode.mapping(pairs, mark: mark)
            if let anchor { anchors[anchor] = (node, nodes - before) }
            return node
        case .streamStart, .streamEnd, .documentStart, .documentEnd, .sequenceEnd, .mappingEnd:
            throw YAMLError(.syntax, "unexpected event \(event) where a node belongs", at: event.mark)
        }
    }

    private mutating func count(_ weight: Int, at mark: YAMLMark) throws(YAMLError) {
        nodes += weight
        if nodes > maximumNodes {
            throw YAMLError(.limit, "more than \(maximumNodes) nodes (aliases counted expanded)", at: mark)
        }
    }

    /// A scalar key as YAML compares keys: its text and resolved type.
    private struct KeyIdentity: Hashable {
        let value: String
        let tag: YAMLScalar.ResolvedTag

        init(_ scalar: YAMLScalar) {
            value = scalar.value
            tag = scalar.resolvedTag
        }
    }
}
