/// Byte-level scanning: whitespace, punctuation, escapes, and the structural skip.
extension JSONSkimmer {
    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): offset += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSkimError) {
        guard offset < bytes.count else { throw error("unexpected end of input, expected \(what)") }
        guard bytes[offset] == byte else { throw error("unexpected \(describe(bytes[offset])), expected \(what)") }
        offset += 1
    }

    mutating func consumeIf(_ byte: UInt8) throws(JSONSkimError) -> Bool {
        guard offset < bytes.count else { throw error("unexpected end of input") }
        guard bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    /// The offset of the next value, after checking one is there.
    mutating func valueStart() throws(JSONSkimError) -> Int {
        _ = try peekKind()
        return offset
    }

    mutating func consumeLiteral(_ literal: StaticString) throws(JSONSkimError) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[offset + $0] == expected[$0] }
        }
        guard matches else { return false }
        offset += count
        return true
    }

    /// Skips `true`, `false` or `null`.
    mutating func skipLiteral() throws(JSONSkimError) {
        if try consumeLiteral("true") { return }
        if try consumeLiteral("false") { return }
        if try consumeLiteral("null") { return }
        throw error("invalid literal")
    }

    /// Decodes the escape after a backslash (already consumed) into UTF-8.
    mutating func readEscape(into output: inout [UInt8]) throws(JSONSkimError) {
        guard offset < bytes.count else { throw error("unterminated escape") }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by `\uDC00`–`\uDFFF`.
                guard try consumeLiteral("\\u") else { throw error("lone UTF-16 surrogate in \\u escape") }
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("lone UTF-16 surrogate in \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
            output.append(contentsOf: String(Character(unicode)).utf8)
        default:
            offset -= 1
            throw error("invalid escape \\\(describe(byte))")
        }
    }

    private mutating func readHex4() throws(JSONSkimError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// Skips a string (the offset is at its opening quote), checking its escapes.
    mutating func skipString() throws(JSONSkimError) {
        offset += 1
        skipPlainStringBytes()
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\"") { return }
            if byte == UInt8(ascii: "\\") {
                // Rare in Kubernetes objects: decode the escape just to check it.
                var scratch: [UInt8] = []
                try readEscape(into: &scratch)
            } else if byte < 0x20 {
                offset -= 1
                throw error("control character in a string")
            }
        }
        throw error("unterminated string")
    }

    /// Skips, eight bytes at a time, string content that holds no quote, backslash or control
    /// character: most of a Node's bytes are image names and digests, and a word-at-a-time test
    /// (the classic "has a zero byte" bit trick) is several times faster than a byte loop.
    @inline(__always)
    private mutating func skipPlainStringBytes() {
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while offset + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A byte is zero (a match) or below 0x20 (a control character) when this is nonzero.
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { return }
            offset += 8
        }
    }

    /// What the structural skip expects next.
    private enum SkipState {
        case value, valueOrClose, key, keyOrClose, colon, commaOrClose
    }

    /// Skips an object or array without recursion, checking its grammar: a stack of open
    /// containers bounds depth and catches mismatches (`{]`), a state catches misplaced or
    /// missing punctuation (`[1,]`, `{"a" 1}`).
    mutating func skipContainer() throws(JSONSkimError) {
        var openers: [UInt8] = []
        openers.reserveCapacity(16)
        var state = SkipState.value
        while true {
            skipWhitespace()
            guard offset < bytes.count else {
                throw error("unexpected end of input inside \(openers.last == UInt8(ascii: "{") ? "an object" : "an array")")
            }
            let byte = bytes[offset]
            switch state {
            case .value, .valueOrClose:
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard openers.count < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
                    openers.append(byte)
                    offset += 1
                    state = byte == UInt8(ascii: "{") ? .keyOrClose : .valueOrClose
                    continue
                case UInt8(ascii: "]") where state == .valueOrClose:
                    break  // closes an empty array, below
                case UInt8(ascii: "\""):
                    try skipString()
                    state = .commaOrClose
                    continue
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    try skipLiteral()
                    state = .commaOrClose
                    continue
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try skipNumber()
                    state = .commaOrClose
                    continue
                default:
                    throw error("unexpected \(describe(byte)), expected a value")
                }
            case .key, .keyOrClose:
                if byte == UInt8(ascii: "\"") {
                    try skipString()
                    state = .colon
                    continue
                }
                guard byte == UInt8(ascii: "}") && state == .keyOrClose else {
                    throw error("unexpected \(describe(byte)), expected an object key")
                }
            case .colon:
                guard byte == UInt8(ascii: ":") else { throw error("unexpected \(describe(byte)), expected \":\"") }
                offset += 1
                state = .value
                continue
            case .commaOrClose:
                if byte == UInt8(ascii: ",") {
                    offset += 1
                    state = openers.last == UInt8(ascii: "{") ? .key : .value
                    continue
                }
                guard byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") else {
                    throw error("unexpected \(describe(byte)), expected \",\" or a closing bracket")
                }
            }
            // Only a closing bracket reaches here.
            let expected = openers.last == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            guard byte == expected else { throw error("mismatched \(describe(byte))") }
            openers.removeLast()
            offset += 1
            if openers.isEmpty { return }
            state = .commaOrClose
        }
    }

    /// Skips a number, checking it has the JSON number shape.
    mutating func skipNumber() throws(JSONSkimError) {
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let digitsStart = offset
        skipDigits()
        guard offset > digitsStart else { throw error("invalid number") }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            let fraction = offset
            skipDigits()
            guard offset > fraction else { throw error("invalid number") }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            let exponent = offset
            skipDigits()
            guard offset > exponent else { throw error("invalid number") }
        }
    }

    private mutating func skipDigits() {
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
    }

    /// A byte as shown in messages: the character when printable, else its hex value.
    func describe(_ byte: UInt8) -> String {
        if (0x21..<0x7F).contains(byte) { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        return "byte 0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }
}
