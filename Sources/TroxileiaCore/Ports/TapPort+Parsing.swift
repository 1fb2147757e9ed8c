extension TapPort {
    /// The two ways a port is written.
    public enum Notation: Sendable, Hashable {
        /// Kubernetes label value, `1_1_x1`.
        case label
        /// GigaVUE CLI, `1/1/x1`.
        case cli

        /// The character between box, slot and port.
        public var separator: Character { self == .label ? "_" : "/" }
        /// The grammar's shape in this notation, for messages.
        public var shape: String { self == .label ? "BOX_SLOT_PORT" : "BOX/SLOT/PORT" }
        /// A valid example in this notation, for messages.
        public var example: String { self == .label ? "1_1_x1" : "1/1/x1" }
    }

    /// The longest valid port, `255_32_q128x4`: anything longer is rejected without further reading.
    public static let longestForm = 13

    /// Parses the Kubernetes label form, `1_1_x1`.
    /// - Throws: `TapPortSyntaxError` saying what is wrong and, where it can, what to write instead.
    public init(label text: String) throws(TapPortSyntaxError) {
        self = try TapPortParser(notation: .label).parse(text).get()
    }

    /// Parses the GigaVUE CLI form, `1/1/x1`.
    /// - Throws: `TapPortSyntaxError` saying what is wrong and, where it can, what to write instead.
    public init(cli text: String) throws(TapPortSyntaxError) {
        self = try TapPortParser(notation: .cli).parse(text).get()
    }

    /// Parses `text` in `notation`, as a value: `.failure` carries the reason.
    public static func parse(_ text: String, notation: Notation) -> Result<TapPort, TapPortSyntaxError> {
        TapPortParser(notation: notation).parse(text)
    }
}

/// The grammar of `gigavue-cli.md` "Port identifiers", read byte by byte so every failure can
/// be named precisely. Common slips (wrong separator, upper case, leading zeros) are retried in
/// corrected form to offer the exact value to write instead.
struct TapPortParser {
    let notation: TapPort.Notation

    /// Inputs longer than this are not read further: k8s label values stop at 63 characters,
    /// and no plausible typo of a port is longer than this.
    private static let readLimit = 32
    private static let separators: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "-"),
                                                  UInt8(ascii: "."), UInt8(ascii: ":")]

    func parse(_ text: String) -> Result<TapPort, TapPortSyntaxError> {
        let bytes = Array(text.utf8)
        func failure(_ problem: TapPortSyntaxError.Problem, suggestion: String? = nil) -> Result<TapPort, TapPortSyntaxError> {
            .failure(TapPortSyntaxError(input: Self.shown(text), notation: notation, kind: problem, suggestion: suggestion))
        }
        if bytes.isEmpty { return failure(.empty) }
        if bytes.count > Self.readLimit { return failure(.tooLong(length: text.count)) }
        if bytes.contains(where: { !Self.isAllowed($0) }) {
            let bad = text.first { !($0.asciiValue.map(Self.isAllowed) ?? false) } ?? " "
            return failure(.invalidCharacter(bad))
        }
        if bytes.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            return failure(.upperCase, suggestion: corrected(text.lowercased()))
        }
        let separator = notation.separator.asciiValue ?? UInt8(ascii: "_")
        if let foreign = bytes.first(where: { Self.separators.contains($0) && $0 != separator }) {
            let replaced = String(decoding: bytes.map { Self.separators.contains($0) ? separator : $0 }, as: UTF8.self)
            return failure(.wrongSeparator(found: Character(Unicode.Scalar(foreign))), suggestion: corrected(replaced))
        }
        let parts = bytes.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return failure(.wrongPartCount(parts.count)) }

        switch readParts(box: parts[0], slot: parts[1], port: parts[2]) {
        case .success(let port):
            return .success(port)
        case .failure(let problem):
            if case .leadingZero = problem {
                return failure(problem, suggestion: corrected(Self.strippingLeadingZeros(text)))
            }
            return failure(problem)
        }
    }

    private typealias Bytes = ArraySlice<UInt8>

    private func readParts(box boxText: Bytes, slot slotText: Bytes, port portText: Bytes)
        -> Result<TapPort, TapPortSyntaxError.Problem> {
        let box: Int, slot: Int
        switch readNumber(boxText, part: .box, bounds: TapPort.Bounds.box) {
        case .success(let value): box = value
        case .failure(let problem): return .failure(problem)
        }
        switch readNumber(slotText, part: .slot, bounds: TapPort.Bounds.slot) {
        case .success(let value): slot = value
        case .failure(let problem): return .failure(problem)
        }
        guard let letter = portText.first else { return .failure(.notANumber(.portNumber, text: "")) }
        if letter == UInt8(ascii: "e") { return .failure(.enginePort) }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(letter) { return .failure(.missingSpeedLetter) }
        guard let speed = PortSpeed(rawValue: Character(Unicode.Scalar(letter))) else {
            return .failure(.unknownSpeedLetter(Character(Unicode.Scalar(letter))))
        }
        let afterLetter = portText.dropFirst()
        let numberText = afterLetter.prefix(while: Self.isDigit)
        let number: Int
        switch readNumber(numberText, part: .portNumber, bounds: TapPort.Bounds.number) {
        case .success(let value): number = value
        case .failure(let problem): return .failure(problem)
        }
        let rest = afterLetter.dropFirst(numberText.count)
        var breakout: Int?
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: "x"), rest.dropFirst().allSatisfy(Self.isDigit) else {
                return .failure(.trailingText(String(decoding: rest, as: UTF8.self)))
            }
            guard speed.allowsBreakout else { return .failure(.breakoutNotAllowed(speed)) }
            switch readNumber(rest.dropFirst(), part: .breakout, bounds: TapPort.Bounds.breakout) {
            case .success(let value): breakout = value
            case .failure(let problem): return .failure(problem)
            }
        }
        guard let port = TapPort(box: box, slot: slot, speed: speed, number: number, breakout: breakout) else {
            // Unreachable: every part was range-checked above. Reported rather than trapped.
            return .failure(.wrongPartCount(3))
        }
        return .success(port)
    }

    private func readNumber(_ digits: Bytes, part: TapPortSyntaxError.Part, bounds: ClosedRange<Int>)
        -> Result<Int, TapPortSyntaxError.Problem> {
        let text = String(decoding: digits, as: UTF8.self)
        guard !digits.isEmpty, digits.allSatisfy(Self.isDigit) else { return .failure(.notANumber(part, text: text)) }
        if digits.count > 1, digits.first == UInt8(ascii: "0") { return .failure(.leadingZero(part, text: text)) }
        // At most 4 digits are read: every bound is below 1000, and longer runs cannot overflow `Int`.
        guard digits.count <= 4 else { return .failure(.outOfRange(part, text: text)) }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard bounds.contains(value) else { return .failure(.outOfRange(part, text: text)) }
        return .success(value)
    }

    /// The corrected text in this notation when it parses, else `nil` (no suggestion beats a wrong one).
    /// Slips often come together (`1/01/x1`), so leading zeros are dropped from the candidate too.
    private func corrected(_ candidate: String) -> String? {
        for text in [candidate, Self.strippingLeadingZeros(candidate)] {
            if case .success(let port) = TapPortParser(notation: notation).parse(text) {
                return notation == .label ? port.labelValue : port.cliName
            }
        }
        return nil
    }

    /// ASCII letters, digits and the separators: everything a port or a typo of one is made of.
    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: separators.contains(byte)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// `01_002_x03` → `1_2_x3`: every run of digits without its leading zeros (a lone `0` stays).
    static func strippingLeadingZeros(_ text: String) -> String {
        var result: [UInt8] = []
        var inNumber = false
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            if isDigit(byte) {
                let nextIsDigit = index + 1 < bytes.count && isDigit(bytes[index + 1])
                if !inNumber && byte == UInt8(ascii: "0") && nextIsDigit { continue }
                inNumber = true
            } else {
                inNumber = false
            }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The rejected text as echoed in messages: capped so a huge value cannot flood a log or a reply.
    static func shown(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(64)) + "…"
    }
}
