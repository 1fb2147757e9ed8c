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

    /// Skips a string (the offset is at its opening quote), checking escapes only for shape.
    mutating func skipString() throws(JSONSkimError) {
        offset += 1
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\"") { return }
            if byte == UInt8(ascii: "\\") {
                guard offset < bytes.count else { break }
                offset += 1
            } else if byte < 0x20 {
                offset -= 1
                throw error("control character in a string")
            }
        }
        throw error("unterminated string")
    }

    /// Skips an object or array without recursion: a stack of expected closing brackets keeps
    /// depth bounded and catches mismatches (`{]`).
    mutating func skipContainer() throws(JSONSkimError) {
        var closers: [UInt8] = []
        closers.reserveCapacity(16)
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard closers.count < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
                closers.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard closers.last == byte else { throw error("mismatched \(describe(byte))") }
                closers.removeLast()
                if closers.isEmpty {
                    offset += 1
                    return
                }
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"),
                 UInt8(ascii: ","), UInt8(ascii: ":"):
                break
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                try skipLiteral()
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try skipNumber()
                continue
            default:
                throw error("unexpected \(describe(byte))")
            }
            offset += 1
        }
        throw error("unexpected end of input inside \(closers.last == UInt8(ascii: "}") ? "an object" : "an array")")
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
