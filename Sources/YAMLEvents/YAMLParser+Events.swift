internal import CYAML

extension YAMLParser {
    /// The current libyaml event as a `YAMLEvent`: strings copied out of libyaml's buffers.
    func materialize() throws(YAMLError) -> YAMLEvent {
        let current = event.pointee
        let mark = Self.mark(current.start_mark)
        switch current.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(current.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = current.data.scalar
            // The value may hold NUL characters: its length counts, not a terminator. libyaml has
            // checked the input is UTF-8.
            let value = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            return .scalar(YAMLScalar(value: value, style: Self.style(scalar.style), tag: Self.string(scalar.tag),
                                      anchor: Self.string(scalar.anchor), mark: mark))
        case YAML_SEQUENCE_START_EVENT:
            let start = current.data.sequence_start
            return .sequenceStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let start = current.data.mapping_start
            return .mappingStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            throw YAMLError(.syntax, "libyaml returned no event", at: mark)
        }
    }

    /// A NUL-terminated libyaml string (anchor, tag), or `nil`.
    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
