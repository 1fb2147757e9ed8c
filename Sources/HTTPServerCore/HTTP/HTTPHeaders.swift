/// The header fields of a request or response, in the order they were received or added.
///
/// Order and duplicates are kept because they carry meaning (RFC 9110 §5.3: field lines with
/// the same name form a list in order). Look-ups by name are case-insensitive (RFC 9110 §5.1);
/// stored names keep the spelling they were given. Values are stored without surrounding
/// whitespace when they come from the parser; `add(name:value:)` stores what it is given and the
/// response serializer sanitises on output.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    /// One field line: its name as spelled and its value.
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    /// Creates a header list holding `fields` in order (empty by default).
    public init(_ fields: [Element] = []) {
        self.fields = fields
    }

    /// The number of field lines, counting repeated names separately.
    public var count: Int { fields.count }

    /// Whether there are no field lines.
    public var isEmpty: Bool { fields.isEmpty }

    /// The value of the first field named `name` (case-insensitive), or nil if there is none.
    ///
    /// For fields that may repeat, use ``values(for:)``: taking the first of several would let
    /// a client hide a second, conflicting value.
    public subscript(name: String) -> String? {
        fields.first { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }?.value
    }

    /// Every value of fields named `name` (case-insensitive), in order; empty if there is none.
    /// Values are returned as stored: comma-separated lists are not split.
    public func values(for name: String) -> [String] {
        fields.filter { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }.map(\.value)
    }

    /// Whether at least one field is named `name` (case-insensitive).
    public func contains(_ name: String) -> Bool {
        fields.contains { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }
    }

    /// Appends a field line after the existing ones, keeping any earlier field of the same name.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Removes every field named `name` (case-insensitive); does nothing if there is none.
    public mutating func remove(name: String) {
        fields.removeAll { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }
    }

    /// Iterates the field lines in order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// Two header lists are equal when they hold the same lines in the same order, names
    /// compared exactly (spelling included) and values compared exactly.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
