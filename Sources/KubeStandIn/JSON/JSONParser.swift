import TroxileiaCore

/// Parses JSON text (RFC 8259) into a ``JSONValue``, keeping member order and number text.
///
/// Built on the core's `JSONSkimmer` (its grammar checks, escapes and nesting bound), so the
/// stand-in reads JSON exactly as the client and the webhook do. Bounded: nesting deeper than
/// `maxDepth` is refused; the size bound is the HTTP parser's body limit.
public enum JSONParser {
    /// Why a document was refused.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// Byte offset of the problem.
        public let offset: Int
        /// What was wrong.
        public let problem: String
        /// `invalid JSON at byte N: problem`.
        public var description: String { "invalid JSON at byte \(offset): \(problem)" }
    }

    /// Deepest nesting accepted (kube-apiserver's own decoder allows 10,000; objects are far shallower).
    public static let maxDepth = 256

    /// The value of the whole document; trailing non-space bytes are an error.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        do {
            return try JSONSkimmer.skim(bytes) { skimmer throws(JSONSkimError) in try value(&skimmer, depth: 0) }
        } catch {
            throw Failure(offset: error.offset, problem: error.problem)
        }
    }

    private static func value(_ skimmer: inout JSONSkimmer, depth: Int) throws(JSONSkimError) -> JSONValue {
        guard depth < maxDepth else { throw skimmer.error("nested deeper than \(maxDepth) levels") }
        switch try skimmer.peekKind() {
        case .object:
            var members: [(String, JSONValue)] = []
            try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                members.append((key, try value(&skimmer, depth: depth + 1)))
            }
            return .object(members)
        case .array:
            var elements: [JSONValue] = []
            try skimmer.forEachElement { skimmer, _ throws(JSONSkimError) in
                elements.append(try value(&skimmer, depth: depth + 1))
            }
            return .array(elements)
        case .string: return .string(try skimmer.readString())
        case .number: return .number(try skimmer.readNumberText())
        case .bool: return .bool(try skimmer.readBool())
        case .null:
            try skimmer.skipValue()
            return .null
        }
    }
}
