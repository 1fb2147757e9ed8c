import TroxileiaCore

/// Turns a node file into records: JSON through the fast skimmer, anything else as (multi-document)
/// YAML streamed from the file.
enum NodeFileDecoder {
    /// Why the file holds no readable nodes.
    struct DecodeError: Error, CustomStringConvertible {
        let description: String
    }

    /// The nodes of `input`, whose first bytes `start` (`InputFile.readStart`) were read already.
    /// JSON is recognised by its first non-blank byte (`{` or `[`) and read whole; YAML is read
    /// chunk by chunk as the parser asks, keeping only the nodes' records.
    /// - Throws: `InputFile.ReadError` when reading fails or passes the size limit, else `DecodeError`.
    static func decode(_ input: InputFile, start: [UInt8]) throws -> NodeDocument {
        guard let first = start.first(where: { !InputFile.isBlank($0) }) else {
            throw DecodeError(description: "the input is empty")
        }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            let bytes = try input.readAll(after: start)
            do {
                return try NodeJSON.readDocument(bytes)
            } catch {
                throw DecodeError(description: error.description)
            }
        }
        var pending = start[...]
        return try NodeYAML.readDocuments { buffer throws(InputFile.ReadError) in
            guard pending.isEmpty else {
                let count = Swift.min(buffer.count, pending.count)
                buffer.copyBytes(from: pending.prefix(count))
                pending = pending.dropFirst(count)
                return count
            }
            return try input.read(into: buffer)
        }
    }
}
