/// A forward-only JSON reader that decodes only what it is asked for and skips the rest.
///
/// A real Node is ~20 KB of JSON of which Troxileia needs a few hundred bytes (name, labels,
/// annotations); a full `Codable` decode of a 5,000-node list builds 68 MB worth of objects to
/// throw away. Skipping still checks structure (balanced and matching brackets, terminated
/// strings, no control characters in strings, valid literals), so malformed input is an error,
/// never a silent misread, and nesting is bounded so no input can exhaust the stack.
///
/// The skimmer reads memory it does not own: it is only reachable inside `skim(_:_:)`, and
/// must not be copied out of that closure.
public struct JSONSkimmer {
    /// The JSON value types, as seen from a value's first byte.
    public enum ValueKind: Sendable { case object, array, string, number, bool, null }

    /// Deepest nesting accepted; real Kubernetes objects stay below 20.
    public static let maxDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    /// Byte offset of the next unread byte.
    public internal(set) var offset = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Runs `body` with a skimmer over `data`, then checks that only whitespace follows what it read.
    public static func skim<Result>(
        _ data: [UInt8], _ body: (inout JSONSkimmer) throws(JSONSkimError) -> Result
    ) throws(JSONSkimError) -> Result {
        let outcome: Swift.Result<Result, JSONSkimError> = data.withUnsafeBufferPointer { buffer in
            var skimmer = JSONSkimmer(bytes: buffer)
            do throws(JSONSkimError) {
                let value = try body(&skimmer)
                skimmer.skipWhitespace()
                if skimmer.offset < buffer.count { throw skimmer.error("unexpected data after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    // MARK: Looking

    /// The kind of the next value, skipping whitespace before it.
    public mutating func peekKind() throws(JSONSkimError) -> ValueKind {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw error("unexpected character \(describe(bytes[offset])), expected a value")
        }
    }

    // MARK: Containers

    /// Calls `body` for each member of the object that comes next, with its key. `body` may read
    /// the value; if it leaves it unread, the value is skipped.
    public mutating func forEachMember(
        _ body: (inout JSONSkimmer, String) throws(JSONSkimError) -> Void
    ) throws(JSONSkimError) {
        try expect(UInt8(ascii: "{"), "an object")
        skipWhitespace()
        if try consumeIf(UInt8(ascii: "}")) { return }
        while true {
            skipWhitespace()
            let key = try readString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "\":\" after an object key")
            let start = try valueStart()
            try body(&self, key)
            if offset == start { try skipValue() }
            skipWhitespace()
            if try consumeIf(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "}"), "\",\" or \"}\" in an object")
            return
        }
    }

    /// Calls `body` for each element of the array that comes next, with its index. An element
    /// `body` leaves unread is skipped.
    public mutating func forEachElement(
        _ body: (inout JSONSkimmer, Int) throws(JSONSkimError) -> Void
    ) throws(JSONSkimError) {
        try expect(UInt8(ascii: "["), "an array")
        skipWhitespace()
        if try consumeIf(UInt8(ascii: "]")) { return }
        var index = 0
        while true {
            let start = try valueStart()
            try body(&self, index)
            if offset == start { try skipValue() }
            index += 1
            skipWhitespace()
            if try consumeIf(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "]"), "\",\" or \"]\" in an array")
            return
        }
    }

    /// Reads an object of string values (`labels`, `annotations`). A non-string value is an error
    /// naming the key, as the apiserver would refuse it. Keys are interned
    /// (`StringInterner.objectKeys`): every node repeats them.
    public mutating func readStringMap() throws(JSONSkimError) -> [String: String] {
        var map: [String: String] = [:]
        try forEachMember { skimmer, key throws(JSONSkimError) in
            guard try skimmer.peekKind() == .string else {
                throw skimmer.error("the value of \"\(key)\" must be a string")
            }
            map[StringInterner.objectKeys.intern(key)] = try skimmer.readString()
        }
        return map
    }

    // MARK: Scalars

    /// Reads a string value, decoding escapes.
    public mutating func readString() throws(JSONSkimError) -> String {
        skipWhitespace()
        try expect(UInt8(ascii: "\""), "a string")
        let start = offset
        // Fast path: no escapes, the common case for names and labels.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in a string") }
            offset += 1
        }
        var decoded = Array(bytes[start..<offset])
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw error("control character in a string")
            default:
                decoded.append(byte)
            }
        }
        throw error("unterminated string")
    }

    /// Reads `null` (returning `nil`) or a string.
    public mutating func readOptionalString() throws(JSONSkimError) -> String? {
        if try peekKind() == .null { try skipValue(); return nil }
        return try readString()
    }

    /// Reads an integer number (`-12`, `410`); fractions and exponents are an error.
    public mutating func readInt() throws(JSONSkimError) -> Int {
        skipWhitespace()
        let start = offset
        try skipNumber()
        var value = 0
        var negative = false
        for index in start..<offset {
            let byte = bytes[index]
            if byte == UInt8(ascii: "-") { negative = true; continue }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), value < Int.max / 10 - 10 else {
                throw JSONSkimError(offset: start, problem: "expected an integer")
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }

    /// Reads a number as the exact text it was written in (`-2.5e3`), for callers that keep
    /// numbers verbatim.
    public mutating func readNumberText() throws(JSONSkimError) -> String {
        skipWhitespace()
        let start = offset
        try skipNumber()
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONSkimError) -> Bool {
        skipWhitespace()
        if try consumeLiteral("true") { return true }
        if try consumeLiteral("false") { return false }
        throw error("expected true or false")
    }

    /// Skips the next value of any kind, checking its structure.
    public mutating func skipValue() throws(JSONSkimError) {
        switch try peekKind() {
        case .string: try skipString()
        case .object, .array: try skipContainer()
        case .bool, .null: try skipLiteral()
        case .number: try skipNumber()
        }
    }

    /// An error at the current offset.
    public func error(_ problem: String) -> JSONSkimError { JSONSkimError(offset: offset, problem: problem) }
}

/// Malformed JSON: where and what.
public struct JSONSkimError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Byte offset of the problem.
    public let offset: Int
    /// What was wrong there.
    public let problem: String

    public init(offset: Int, problem: String) {
        self.offset = offset
        self.problem = problem
    }

    public var description: String { "invalid JSON at byte \(offset): \(problem)" }
}
