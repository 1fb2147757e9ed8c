import TroxileiaCore
import YAMLEvents

/// Reads Nodes out of (multi-document) YAML as `kubectl get nodes -o yaml` prints it, streaming:
/// the parser's events are read one at a time and only `kind`, `metadata.name`, `uid`, labels,
/// annotations and `deletionTimestamp` are kept; everything else (status, images: ~20 KB a node) is
/// skipped without being built, as the JSON skimmer skips it. Memory is the records kept plus
/// libyaml's buffers, whatever the size of the document.
///
/// Each document may be a Node, a NodeList or a `List`; empty documents are skipped. A List's
/// `kind` may follow its `items` (kubectl prints `items` first), so items are read as they come and
/// the document's kind decides at its end whether they count.
///
/// Aliases (`*name`) never appear in kubectl's output. Where they stand for a value that is kept
/// (a label map, a name), the anchored value is used when it was itself a kept value; elsewhere
/// they are skipped like any other node, so they cost nothing. Duplicate keys are refused where
/// values are kept (the document, an item, its metadata, labels, annotations).
enum NodeYAML {
    /// Bounds for the parser: kubectl's nodes nest about 8 deep.
    static let configuration = YAMLParser.Configuration(maximumDepth: 64)

    /// The nodes of the YAML that `read` delivers chunk by chunk (0 at the end).
    /// - Throws: the first error of `read` as it was thrown; `NodeFileDecoder.DecodeError` for
    ///   input that is not UTF-8 YAML holding Nodes.
    static func readDocuments(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) throws -> NodeDocument {
        var readFailure: (any Error)?
        let document: NodeDocument
        do {
            let parser = try YAMLParser(configuration: configuration) { buffer throws(YAMLError) in
                do {
                    return try read(buffer)
                } catch {
                    readFailure = error
                    throw YAMLError(.input, "\(error)")
                }
            }
            var reader = StreamReader(parser: parser)
            try reader.readStream()
            document = reader.document
        } catch let error as YAMLError {
            if let readFailure { throw readFailure }
            switch error.kind {
            case .encoding: throw NodeFileDecoder.DecodeError(description: "the input is neither JSON nor UTF-8 YAML: \(error)")
            default: throw NodeFileDecoder.DecodeError(description: "invalid YAML: \(error)")
            }
        }
        if document.nodes.isEmpty && document.skipped.isEmpty {
            throw NodeFileDecoder.DecodeError(description: "the input holds no Node, NodeList or List")
        }
        return document
    }

    /// The nodes of `bytes`, handed to the parser `chunk` bytes at a time.
    static func readDocuments(_ bytes: [UInt8], chunk: Int = 64 << 10) throws -> NodeDocument {
        var offset = 0
        return try readDocuments { buffer in
            let count = min(buffer.count, chunk, bytes.count - offset)
            buffer.copyBytes(from: bytes[offset..<(offset + count)])
            offset += count
            return count
        }
    }
}
