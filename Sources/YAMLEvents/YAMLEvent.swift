/// A position in YAML input: 1-based line and column, as libyaml counts them (columns in Unicode
/// scalars), and the 0-based offset in characters from the start.
public struct YAMLMark: Sendable, Equatable, CustomStringConvertible {
    /// Line, from 1.
    public let line: Int
    /// Column, from 1.
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line L, column C`.
    public var description: String { "line \(line), column \(column)" }
}

/// How a scalar was written. Only plain scalars take part in implicit typing (`true`, `null`, `1`).
public enum YAMLScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// One scalar as written: its text, style, explicit tag and anchor.
public struct YAMLScalar: Sendable, Equatable {
    /// The scalar's text after unescaping and folding.
    public let value: String
    public let style: YAMLScalarStyle
    /// The explicit tag, resolved to its full form (`!!str` → `tag:yaml.org,2002:str`); `nil` when none.
    public let tag: String?
    /// The anchor (`&name`) set on it, if any.
    public let anchor: String?
    /// Where it starts.
    public let mark: YAMLMark

    public init(value: String, style: YAMLScalarStyle = .plain, tag: String? = nil, anchor: String? = nil,
                mark: YAMLMark = YAMLMark(line: 1, column: 1)) {
        self.value = value
        self.style = style
        self.tag = tag
        self.anchor = anchor
        self.mark = mark
    }
}

/// One event of libyaml's event stream (YAML 1.1 spec, "Processing Overview": the serialization tree
/// as a sequence of events). Scalars and the starts of collections carry their position.
public enum YAMLEvent: Sendable, Equatable {
    case streamStart
    case streamEnd
    case documentStart(YAMLMark)
    case documentEnd
    /// `*name`: a reference to an earlier anchored node; the parser never expands it.
    case alias(anchor: String, mark: YAMLMark)
    case scalar(YAMLScalar)
    case sequenceStart(anchor: String?, tag: String?, mark: YAMLMark)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?, mark: YAMLMark)
    case mappingEnd

    /// Where the event starts, for the events that carry it.
    public var mark: YAMLMark? {
        switch self {
        case .documentStart(let mark), .alias(_, let mark), .sequenceStart(_, _, let mark), .mappingStart(_, _, let mark):
            mark
        case .scalar(let scalar):
            scalar.mark
        case .streamStart, .streamEnd, .documentEnd, .sequenceEnd, .mappingEnd:
            nil
        }
    }
}
