/// A composed YAML node: a scalar, a sequence or a mapping, each with where it starts. Aliases are
/// already resolved (`YAMLComposer`), so an alias appears as the node it names.
public indirect enum YAMLNode: Sendable, Equatable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], mark: YAMLMark)
    /// Pairs in document order; `YAMLComposer` refuses duplicate keys.
    case mapping([Pair], mark: YAMLMark)

    /// One key and value of a mapping.
    public struct Pair: Sendable, Equatable {
        public let key: YAMLNode
        public let value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// Where the node starts.
    public var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    /// The scalar, when this is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    /// The pairs, when this is a mapping.
    public var pairs: [Pair]? {
        if case .mapping(let pairs, _) = self { return pairs }
        return nil
    }

    /// The value at the scalar key `key`, when this is a mapping that has it. A key matches when
    /// its text is `key` and it resolves to the same type as `key` written plain (so `"1"` is not
    /// the key `1`), as YAML compares keys.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs, _) = self else { return nil }
        let wanted = YAMLScalar(value: key).resolvedTag
        return pairs.last { pair in
            guard case .scalar(let scalar) = pair.key else { return false }
            return scalar.value == key && scalar.resolvedTag == wanted
        }?.value
    }
}
