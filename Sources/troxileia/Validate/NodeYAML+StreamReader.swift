import TroxileiaCore
import YAMLEvents

extension NodeYAML {
    /// Walks the event stream document by document, item by item, keeping only the records.
    /// `position` counts Nodes and items across documents, for messages and skipped items.
    struct StreamReader {
        let parser: YAMLParser
        private(set) var document = NodeDocument()
        private var position = 0
        /// Kept values that carried an anchor, for aliases to them in kept places.
        private var anchoredStrings: [String: String] = [:]
        private var anchoredMaps: [String: [String: String]] = [:]

        init(parser: YAMLParser) {
            self.parser = parser
        }

        /// The whole stream, document by document.
        mutating func readStream() throws {
            guard case .streamStart = try parser.next() else { throw Self.failure("expected the start of a YAML stream") }
            while true {
                switch try parser.next() {
                case .documentStart:
                    // An anchor is defined within its document only (YAML 1.2, 3.2.2.2).
                    anchoredStrings.removeAll(keepingCapacity: true)
                    anchoredMaps.removeAll(keepingCapacity: true)
                    try readDocument()
                    guard case .documentEnd = try parser.next() else { throw Self.failure("expected the end of a document") }
                case .streamEnd:
                    return
                default:
                    throw Self.failure("expected a document")
                }
            }
        }

        private mutating func readDocument() throws {
            let root = try parser.next()
            switch root {
            case .scalar(let scalar) where scalar.value.isEmpty:
                return  // an empty document between `---`
            case .mappingStart:
                try readRoot()
            default:
                throw Self.failure("document \(position + 1) is not a mapping")
            }
        }

        /// A document's top-level mapping (its start was read): a Node, or a list of them.
        private mutating func readRoot() throws {
            let first = position
            var kind: String?
            var metadata: NodeRecord?
            var hasItems = false
            var items = NodeDocument()
            try forEachPair { reader, key, value throws in
                switch key {
                case "kind": kind = try reader.string(value)
                case "metadata": metadata = try reader.record(value)
                case "items":
                    guard case .sequenceStart = value else { return try reader.parser.skip(value) }
                    hasItems = true
                    try reader.readItems(into: &items)
                default: try reader.parser.skip(value)
                }
            }
            switch kind {
            case "Node":
                guard let node = metadata, !node.name.isEmpty else {
                    throw Self.failure("the Node in document \(first + 1) has no metadata.name")
                }
                document.nodes.append(node)
                position = first + 1
            case "NodeList", "List", nil:
                guard hasItems else {
                    throw Self.failure(kind.map { "the \($0) has no items sequence" }
                        ?? "expected a Node, NodeList or List, found a mapping without kind")
                }
                document.nodes += items.nodes
                document.skipped += items.skipped
            default:
                throw Self.failure("expected a Node, NodeList or List, found \(kind.map { "kind \($0)" } ?? "a mapping without kind")")
            }
        }

        /// The items of a list (its sequence start was read), one at a time.
        private mutating func readItems(into items: inout NodeDocument) throws {
            while true {
                let item = try parser.next()
                if case .sequenceEnd = item { return }
                var itemKind: String?
                var node: NodeRecord?
                if case .mappingStart = item {
                    try forEachPair { reader, key, value throws in
                        switch key {
                        case "kind": itemKind = try reader.string(value)
                        case "metadata": node = try reader.record(value)
                        default: try reader.parser.skip(value)
                        }
                    }
                } else {
                    try refuseAlias(item)
                    try parser.skip(item)
                }
                if let itemKind, itemKind != "Node" {
                    items.skipped.append(.init(index: position, name: node?.name, reason: "a \(itemKind), not a Node"))
                } else if let node, !node.name.isEmpty {
                    items.nodes.append(node)
                } else {
                    items.skipped.append(.init(index: position, name: nil, reason: "no metadata.name"))
                }
                position += 1
            }
        }

        /// A `metadata` value: the record, or `nil` when it is not a mapping.
        private mutating func record(_ value: YAMLEvent) throws -> NodeRecord? {
            guard case .mappingStart = value else {
                try refuseAlias(value)
                try parser.skip(value)
                return nil
            }
            var record = NodeRecord(name: "")
            try forEachPair { reader, key, value throws in
                switch key {
                case "name": record.name = try reader.string(value) ?? ""
                case "uid": record.uid = try reader.string(value) ?? ""
                case "labels": record.labels = try reader.stringMap(value)
                case "annotations": record.annotations = try reader.stringMap(value)
                // Any scalar counts, as the tree reader had it: `deletionTimestamp: null` included.
                case "deletionTimestamp": record.isTerminating = try reader.string(value) != nil
                default: try reader.parser.skip(value)
                }
            }
            return record
        }

        /// The pairs of a mapping whose start was read: `body` gets each scalar key with the first
        /// event of its value and must consume the value. Pairs with other keys are skipped.
        private mutating func forEachPair(_ body: (inout StreamReader, String, YAMLEvent) throws -> Void) throws {
            var keys: Set<String> = []
            while true {
                let key = try parser.next()
                if case .mappingEnd = key { return }
                guard let text = try string(key) else {
                    try parser.skip(try parser.next())
                    continue
                }
                guard keys.insert(text).inserted else {
                    throw YAMLError(.syntax, "found duplicate key \(text) in a mapping", at: key.mark)
                }
                try body(&self, text, try parser.next())
            }
        }

        /// A scalar value's text (an alias to a kept anchored string too); `nil` for a sequence or
        /// mapping, which is skipped.
        private mutating func string(_ value: YAMLEvent) throws -> String? {
            switch value {
            case .scalar(let scalar):
                if let anchor = scalar.anchor { anchoredStrings[anchor] = scalar.value }
                return scalar.value
            case .alias(let anchor, let mark):
                guard let text = anchoredStrings[anchor] else { throw Self.unknownAlias(anchor, mark) }
                return text
            default:
                try parser.skip(value)
                return nil
            }
        }

        /// A label or annotation map: its scalar keys with scalar values; empty when not a mapping.
        private mutating func stringMap(_ value: YAMLEvent) throws -> [String: String] {
            switch value {
            case .mappingStart(let anchor, _, _):
                var map: [String: String] = [:]
                try forEachPair { reader, key, value throws in
                    if let text = try reader.string(value) { map[key] = text }
                }
                if let anchor { anchoredMaps[anchor] = map }
                return map
            case .alias(let anchor, let mark):
                guard let map = anchoredMaps[anchor] else { throw Self.unknownAlias(anchor, mark) }
                return map
            default:
                try parser.skip(value)
                return [:]
            }
        }

        /// An alias where a Node, a list item or metadata belongs is not expanded: say so.
        private func refuseAlias(_ event: YAMLEvent) throws {
            if case .alias(let anchor, let mark) = event { throw Self.unknownAlias(anchor, mark) }
        }

        private static func unknownAlias(_ anchor: String, _ mark: YAMLMark) -> YAMLError {
            YAMLError(.syntax, "alias *\(anchor) stands for a node this reader does not keep (only anchored "
                      + "names, labels and annotations can be referred to)", at: mark)
        }

        private static func failure(_ description: String) -> NodeFileDecoder.DecodeError {
            NodeFileDecoder.DecodeError(description: description)
        }
    }
}
