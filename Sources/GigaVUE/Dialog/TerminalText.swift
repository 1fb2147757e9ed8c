/// Raw shell-channel bytes cleaned for reading: gigavue-cli.md "Session" warns that output may contain
/// ANSI escapes, backspaces and `\r`, so prompts and `%` errors are matched only on cleaned text.
///
/// Streaming: `append` may be called with any split of the input (an escape sequence or a UTF-8
/// character cut between two reads is handled). The cleaning rules:
/// - CSI `ESC [ … final` (final byte 0x40–0x7E), OSC `ESC ] … BEL` or `ESC ] … ESC \`, and two-byte
///   `ESC x` sequences are removed;
/// - a backspace deletes the previous character, but never a line break (at a line start it does nothing);
/// - every `\r` is dropped, so `\r\n` becomes `\n`;
/// - other bytes are kept; `text` decodes them as UTF-8, replacing invalid bytes with U+FFFD.
///
/// Bounded: more than `limit` raw bytes since the last `reset()` throw `TooLarge`, so an endless
/// stream can never exhaust memory. Not thread-safe: a value type owned by one dialog.
public struct TerminalText: Sendable {
    /// The default bound: 4 MiB, far above a `show running-config` of the largest chassis we manage.
    public static let defaultLimit = 4 * 1024 * 1024

    /// Thrown when more than `limit` raw bytes arrive between two resets.
    public struct TooLarge: Error, Equatable, Sendable {
        /// The bound that was exceeded, in bytes.
        public let limit: Int

        /// The error for `limit`.
        public init(limit: Int) { self.limit = limit }
    }

    private enum Parser: Sendable {
        case plain
        case escape
        case csi
        case osc
        case oscEscape
    }

    /// The most raw bytes accepted between two resets.
    public let limit: Int
    /// Raw bytes received since the last `reset()`, escape sequences included.
    public private(set) var receivedCount = 0
    private var output: [UInt8] = []
    private var parser = Parser.plain

    /// An empty buffer bounded by `limit` raw bytes.
    public init(limit: Int = TerminalText.defaultLimit) {
        self.limit = limit
    }

    /// The cleaned text of `bytes`, without a bound (tests, one-shot use).
    public static func clean(_ bytes: some Sequence<UInt8>) -> String {
        var terminal = TerminalText(limit: .max)
        terminal.appendUnbounded(bytes)
        return terminal.text
    }

    /// Cleans and appends `bytes`.
    /// - Throws: `TooLarge` once more than `limit` bytes arrived since the last reset; nothing of
    ///   the offending chunk is kept.
    public mutating func append(_ bytes: some Collection<UInt8>) throws(TooLarge) {
        guard bytes.count <= limit - receivedCount else { throw TooLarge(limit: limit) }
        appendUnbounded(bytes)
    }

    /// The cleaned text so far.
    public var text: String { String(decoding: output, as: UTF8.self) }

    /// The cleaned text after the last line break: where a prompt sits.
    public var lastLine: String {
        let start = output.lastIndex(of: newline).map { $0 + 1 } ?? 0
        return String(decoding: output[start...], as: UTF8.self)
    }

    /// Whether nothing readable has been kept.
    public var isEmpty: Bool { output.isEmpty }

    /// Forgets the cleaned text and the byte count (a new command starts).
    public mutating func reset() {
        output.removeAll(keepingCapacity: true)
        receivedCount = 0
        parser = .plain
    }

    /// Forgets the cleaned text but keeps counting toward `limit` (output continues after a pager).
    public mutating func clearText() {
        output.removeAll(keepingCapacity: true)
    }

    private let newline = UInt8(ascii: "\n")
    private static let esc: UInt8 = 0x1B
    private static let bel: UInt8 = 0x07
    private static let backspace: UInt8 = 0x08
    private static let carriageReturn = UInt8(ascii: "\r")

    private mutating func appendUnbounded(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            receivedCount += 1
            consume(byte)
        }
    }

    private mutating func consume(_ byte: UInt8) {
        switch parser {
        case .plain:
            switch byte {
            case Self.esc: parser = .escape
            case Self.backspace: deleteLastCharacter()
            case Self.carriageReturn, Self.bel: break
            default: output.append(byte)
            }
        case .escape:
            switch byte {
            case UInt8(ascii: "["): parser = .csi
            case UInt8(ascii: "]"): parser = .osc
            default: parser = .plain  // `ESC x`: a two-byte sequence (ESC 7, ESC =, ESC M …)
            }
        case .csi:
            // Parameter and intermediate bytes are 0x20–0x3F; a final byte in 0x40–0x7E ends the
            // sequence (ECMA-48 5.4).
            if (0x40...0x7E).contains(byte) { parser = .plain }
        case .osc:
            if byte == Self.bel { parser = .plain } else if byte == Self.esc { parser = .oscEscape }
        case .oscEscape:
            // `ESC \` (ST) ends the OSC; any other byte after ESC stays inside it.
            parser = byte == UInt8(ascii: "\\") ? .plain : .osc
        }
    }

    /// Removes the last UTF-8 character (its continuation bytes and lead byte), never a line break.
    private mutating func deleteLastCharacter() {
        while let last = output.last, last != newline {
            output.removeLast()
            if last & 0xC0 != 0x80 { return }
        }
    }
}
