import TroxileiaCore

/// A JSON document that keeps member order and number text exactly, so objects go back out
/// the way they came in (kube-apiserver's field order: `kind`, `apiVersion`, `metadata`, …).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, unchanged.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; names are unique after parsing (the last duplicate wins).
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// An integer as a JSON number.
    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// The member `key` of an object, or nil (also for non-objects).
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members.last { $0.0 == key }?.1
        }
        set {
            guard case .object(var members) = self else { return }
            if let index = members.firstIndex(where: { $0.0 == key }) {
                if let newValue { members[index].1 = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
            self = .object(members)
        }
    }

    /// The string value, or nil.
    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }

    /// The object's members, or nil.
    public var members: [(String, JSONValue)]? { if case .object(let members) = self { members } else { nil } }

    /// A string-to-string map (labels, annotations); non-string values are skipped.
    public var stringMap: [String: String] {
        var map: [String: String] = [:]
        for (key, value) in members ?? [] { if let text = value.stringValue { map[key] = text } }
        return map
    }

    /// Sets `metadata.<key>`, creating `metadata` when missing.
    public mutating func setMetadata(_ key: String, _ value: JSONValue?) {
        var metadata = self["metadata"] ?? .object([])
        metadata[key] = value
        self["metadata"] = metadata
    }

    /// `metadata.<key>` as a string.
    public func metadataString(_ key: String) -> String? { self["metadata"]?[key]?.stringValue }

    /// Compact JSON text, as kube-apiserver writes it for non-curl clients.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(to: &out)
        return out
    }

    /// Appends compact JSON text to `out`.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): JSONWriter.appendString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
