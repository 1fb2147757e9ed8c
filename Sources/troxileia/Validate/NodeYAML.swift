import TroxileiaCore
import Yams

/// Reads Nodes out of (multi-document) YAML as `kubectl get nodes -o yaml` prints it.
///
/// Each document may be a Node, a NodeList or a `List`; empty documents are skipped.
enum NodeYAML {
    static func readDocuments(_ bytes: [UInt8]) throws(NodeFileDecoder.DecodeError) -> NodeDocument {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .init(description: "the input is neither JSON nor UTF-8 YAML")
        }
        var document = NodeDocument()
        do {
            // The basic resolver tags only strings, sequences and mappings: label values are
            // read as text, and no time goes into recognising numbers or dates never used.
            let parser = try Parser(yaml: text, resolver: .basic)
            var position = 0
            while let root = try parser.nextRoot() {
                try read(root, position: &position, into: &document)
            }
        } catch let error as NodeFileDecoder.DecodeError {
            throw error
        } catch {
            throw .init(description: "invalid YAML: \(error)")
        }
        if document.nodes.isEmpty && document.skipped.isEmpty {
            throw .init(description: "the input holds no Node, NodeList or List")
        }
        return document
    }

    private static func read(_ root: Node, position: inout Int, into document: inout NodeDocument) throws {
        guard root.mapping != nil else {
            if root.scalar?.string.isEmpty ?? false { return }  // an empty document between `---`
            throw NodeFileDecoder.DecodeError(description: "document \(position + 1) is not a mapping")
        }
        let kind = root["kind"]?.string
        switch kind {
        case "Node":
            guard let node = record(root), !node.name.isEmpty else {
                throw NodeFileDecoder.DecodeError(description: "the Node in document \(position + 1) has no metadata.name")
            }
            document.nodes.append(node)
            position += 1
        case "NodeList", "List", nil:
            guard let items = root["items"]?.sequence else {
                throw NodeFileDecoder.DecodeError(description: kind.map { "the \($0) has no items sequence" }
                    ?? "expected a Node, NodeList or List, found a mapping without kind")
            }
            for item in items {
                let itemKind = item["kind"]?.string
                if let itemKind, itemKind != "Node" {
                    document.skipped.append(.init(index: position, name: record(item)?.name, reason: "a \(itemKind), not a Node"))
                } else if let node = record(item), !node.name.isEmpty {
                    document.nodes.append(node)
                } else {
                    document.skipped.append(.init(index: position, name: nil, reason: "no metadata.name"))
                }
                position += 1
            }
        default:
            throw NodeFileDecoder.DecodeError(
                description: "expected a Node, NodeList or List, found \(kind.map { "kind \($0)" } ?? "a mapping without kind")")
        }
    }

    private static func record(_ object: Node) -> NodeRecord? {
        guard let metadata = object["metadata"], metadata.mapping != nil else { return nil }
        return NodeRecord(
            name: metadata["name"]?.string ?? "",
            uid: metadata["uid"]?.string ?? "",
            labels: stringMap(metadata["labels"]),
            annotations: stringMap(metadata["annotations"]),
            isTerminating: metadata["deletionTimestamp"]?.string != nil
        )
    }

    private static func stringMap(_ node: Node?) -> [String: String] {
        guard let mapping = node?.mapping else { return [:] }
        var map: [String: String] = [:]
        for (key, value) in mapping {
            if let key = key.string, let value = value.string { map[key] = value }
        }
        return map
    }
}
