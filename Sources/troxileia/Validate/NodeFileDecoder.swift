import TroxileiaCore

/// Turns the bytes of a node file into records: JSON through the fast skimmer, anything else as
/// (multi-document) YAML.
enum NodeFileDecoder {
    /// Why the file holds no readable nodes.
    struct DecodeError: Error, CustomStringConvertible {
        let description: String
    }

    /// The nodes of `bytes`. JSON is recognised by its first non-blank byte (`{` or `[`).
    static func decode(_ bytes: [UInt8]) throws(DecodeError) -> NodeDocument {
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            throw DecodeError(description: "the input is empty")
        }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            do {
                return try NodeJSON.readDocument(bytes)
            } catch {
                throw DecodeError(description: error.description)
            }
        }
        return try NodeYAML.readDocuments(bytes)
    }
}
