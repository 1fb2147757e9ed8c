internal import CYAML

/// libyaml's parser (`yaml_parser_t`) as a pull stream of `YAMLEvent`s, with bounds on input size,
/// nesting depth and aliases. Input is either bytes held in memory or a read function called for
/// each chunk libyaml wants (its raw buffer, 16 KiB), so a file can be read without ever holding it whole.
///
/// Aliases are passed on as events, never expanded here: expanding is the consumer's choice
/// (`YAMLComposer` bounds it), so a "billion laughs" document costs the parser nothing.
///
/// Not `Sendable`: one thread uses a parser at a time. After an error every further call throws it again.
public final class YAMLParser {
    /// Bounds on what one parser reads.
    public struct Configuration: Sendable {
        /// Most input bytes read; more fails with `.limit`. Default: no bound beyond the reader's own.
        public var maximumInputBytes: Int = .max
        /// Deepest nesting of sequences and mappings. Default 64: Kubernetes objects nest about 10
        /// deep; the bound keeps a `[[[[…` input from costing memory in consumers that recurse.
        public var maximumDepth: Int = 64
        /// Most alias events (`*name`) in the stream. Default: no bound (the parser does not expand them).
        public var maximumAliases: Int = .max

        public init(maximumInputBytes: Int = .max, maximumDepth: Int = 64, maximumAliases: Int = .max) {
            self.maximumInputBytes = maximumInputBytes
            self.maximumDepth = maximumDepth
            self.maximumAliases = maximumAliases
        }
    }

    /// Fills the buffer with the next input bytes and returns how many; 0 at the end of the input.
    public typealias Read = (UnsafeMutableRawBufferPointer) throws(YAMLError) -> Int

    public let configuration: Configuration
    /// Nesting depth after the last event: 0 between documents.
    public private(set) var depth = 0

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// The event being read; deleted after each `next()` or skipped event.
    let event: UnsafeMutablePointer<yaml_event_t>
    /// The bytes libyaml reads from for in-memory input; owned here because libyaml keeps the pointer.
    private let input: (buffer: UnsafeMutableBufferPointer<UInt8>, count: Int)?
    private let read: Read?
    private var bytesRead = 0
    private var aliases = 0
    private var ended = false
    /// The first failure, thrown again by every later call.
    private var failure: YAMLError?
    /// A failure of `read` (or the size bound) inside libyaml's read handler, which can only say "error".
    fileprivate var readFailure: YAMLError?

    /// A parser over `bytes` (copied: libyaml reads them after this returns).
    /// - Throws: `.limit` when `bytes` is larger than `configuration.maximumInputBytes`.
    public convenience init(bytes: some Collection<UInt8>, configuration: Configuration = Configuration()) throws(YAMLError) {
        guard bytes.count <= configuration.maximumInputBytes else {
            throw YAMLError(.limit, "the input is \(bytes.count) bytes, more than the limit of \(configuration.maximumInputBytes)")
        }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = copy.initialize(from: bytes)
        try self.init(configuration: configuration, input: (copy, bytes.count), read: nil)
    }

    /// A parser that pulls its input through `read`, chunk by chunk.
    public convenience init(configuration: Configuration = Configuration(), read: @escaping Read) throws(YAMLError) {
        try self.init(configuration: configuration, input: nil, read: read)
    }

    private init(configuration: Configuration, input: (buffer: UnsafeMutableBufferPointer<UInt8>, count: Int)?,
                 read: Read?) throws(YAMLError) {
        // Set up before any stored property: a throw from here on would run `deinit`.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            input?.buffer.deallocate()
            throw YAMLError(.memory, "libyaml could not allocate a parser")
        }
        self.parser = parser
        event = .allocate(capacity: 1)
        self.configuration = configuration
        self.input = input
        self.read = read
        // UTF-8 only, as the callers' inputs are: no guessing UTF-16 from a byte order mark.
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        if let input {
            bytesRead = input.count
            yaml_parser_set_input_string(parser, input.buffer.baseAddress, input.count)
        } else {
            yaml_parser_set_input(parser, yamlReadHandler, Unmanaged.passUnretained(self).toOpaque())
        }
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        event.deallocate()
        input?.buffer.deallocate()
    }

    /// The next event. After `.streamEnd`, `.streamEnd` again.
    /// - Throws: `YAMLError` for malformed input (with its line and column), a bound passed, or a
    ///   failure of the read function.
    public func next() throws(YAMLError) -> YAMLEvent {
        guard try parseRaw() else { return .streamEnd }
        defer { yaml_event_delete(event) }
        return try materialize()
    }

    /// Consumes the rest of the node `start` began, without building anything: for a sequence or
    /// mapping start, every event up to its end; for a scalar or alias, nothing (it is whole already).
    public func skip(_ start: YAMLEvent) throws(YAMLError) {
        switch start {
        case .sequenceStart, .mappingStart:
            let inside = depth
            while depth >= inside {
                guard try parseRaw() else { return }
                yaml_event_delete(event)
            }
        default:
            return
        }
    }

    /// Parses one event into `event`, tracking depth and aliases; `false` once the stream ended.
    /// The caller deletes the event.
    private func parseRaw() throws(YAMLError) -> Bool {
        if let failure { throw failure }
        if ended { return false }
        guard yaml_parser_parse(parser, event) == 1 else {
            let error = readFailure ?? parserError()
            failure = error
            throw error
        }
        switch event.pointee.type {
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            depth += 1
            if depth > configuration.maximumDepth {
                return try fail(.limit, "nesting deeper than \(configuration.maximumDepth) levels")
            }
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            depth -= 1
        case YAML_ALIAS_EVENT:
            aliases += 1
            if aliases > configuration.maximumAliases {
                return try fail(.limit, "more than \(configuration.maximumAliases) aliases")
            }
        case YAML_STREAM_END_EVENT:
            ended = true
        default:
            break
        }
        return true
    }

    /// Records and throws a failure at the current event (which is deleted).
    private func fail(_ kind: YAMLError.Kind, _ problem: String) throws(YAMLError) -> Bool {
        let error = YAMLError(kind, problem, at: Self.mark(event.pointee.start_mark))
        yaml_event_delete(event)
        failure = error
        throw error
    }

    /// libyaml's error after `yaml_parser_parse` failed, in its own words, with marks 1-based.
    private func parserError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown problem"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(.memory, "libyaml ran out of memory")
        case YAML_READER_ERROR:
            // The reader's marks are not set; its offset is in bytes. Control characters are valid
            // UTF-8 that YAML refuses: a syntax matter, not an encoding one.
            let kind: YAMLError.Kind = problem.hasPrefix("control characters") ? .syntax : .encoding
            return YAMLError(kind, "\(problem) at byte \(state.problem_offset)")
        default:
            return YAMLError(.syntax, problem, at: Self.mark(state.problem_mark),
                             context: state.context.map { String(cString: $0) },
                             contextMark: state.context == nil ? nil : Self.mark(state.context_mark))
        }
    }

    static func mark(_ mark: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// Called by libyaml (through `yamlReadHandler`) for more input.
    fileprivate func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard let read else { return 0 }
        do {
            let count = try read(buffer)
            guard count >= 0, count <= buffer.count else {
                readFailure = YAMLError(.input, "the reader returned \(count) bytes for a buffer of \(buffer.count)")
                return nil
            }
            bytesRead += count
            if bytesRead > configuration.maximumInputBytes {
                readFailure = YAMLError(.limit, "more than the limit of \(configuration.maximumInputBytes) bytes")
                return nil
            }
            return count
        } catch {
            readFailure = error
            return nil
        }
    }
}

/// libyaml's read handler: `data` is the unretained `YAMLParser`, alive for as long as its parser.
/// Returns 1 with `sizeRead` set (0 at the end of input), or 0 on failure.
private func yamlReadHandler(_ data: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int,
                             _ sizeRead: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let data, let buffer, let sizeRead else { return 0 }
    let parser = Unmanaged<YAMLParser>.fromOpaque(data).takeUnretainedValue()
    guard let count = parser.fill(UnsafeMutableRawBufferPointer(start: buffer, count: size)) else { return 0 }
    sizeRead.pointee = count
    return 1
}
