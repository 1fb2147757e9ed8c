/// Why a text is not a tap port, and what to write instead where that can be known.
///
/// Messages are written for the person who typed the label: `problem` says what is wrong,
/// `hint` what to do. Both are safe to show anywhere (they echo only the rejected text).
public struct TapPortSyntaxError: Error, Hashable, Sendable {
    /// A part of `BOX_SLOT_PORT`.
    public enum Part: String, Sendable {
        case box, slot
        case portNumber = "port number"
        case breakout
    }

    /// The kinds of failure, each with the offending text.
    public enum Problem: Error, Hashable, Sendable {
        case empty
        case tooLong(length: Int)
        case invalidCharacter(Character)
        case upperCase
        case wrongSeparator(found: Character)
        case wrongPartCount(Int)
        case notANumber(Part, text: String)
        case leadingZero(Part, text: String)
        case outOfRange(Part, text: String)
        case enginePort
        case missingSpeedLetter
        case unknownSpeedLetter(Character)
        case breakoutNotAllowed(PortSpeed)
        case trailingText(String)
    }

    /// The text that failed to parse.
    public let input: String
    /// The notation it was read in.
    public let notation: TapPort.Notation
    /// What is wrong.
    public let kind: Problem
    /// The corrected value in the same notation, when one obvious fix makes it valid.
    public let suggestion: String?

    /// One sentence: what is wrong with `input`.
    public var problem: String {
        switch kind {
        case .empty:
            "the value is empty"
        case .tooLong(let length):
            "the value is \(length) characters long; a tap port is at most \(TapPort.longestForm) characters"
        case .invalidCharacter(let character):
            "\(quoted(String(character))) cannot appear in a tap port"
        case .upperCase:
            "letters in a tap port are lower case"
        case .wrongSeparator(let found) where found == "/" && notation == .label:
            "label values cannot hold \"/\""
        case .wrongSeparator(let found):
            "the parts are separated by \(quoted(String(notation.separator))), not \(quoted(String(found)))"
        case .wrongPartCount(let count):
            "expected three parts \(notation.shape) separated by \(quoted(String(notation.separator))), found \(count)"
        case .notANumber(let part, let text):
            text.isEmpty ? "the \(part.rawValue) is missing" : "the \(part.rawValue) \(quoted(text)) is not a number"
        case .leadingZero(let part, let text):
            "numbers have no leading zeros (\(part.rawValue) \(quoted(text)))"
        case .outOfRange(let part, let text):
            "\(part.rawValue) \(text) is out of range \(range(of: part))"
        case .enginePort:
            "e ports are GigaSMART engine ports, not cabled to nodes"
        case .missingSpeedLetter:
            "the port has no speed letter"
        case .unknownSpeedLetter(let letter):
            "port letter \(quoted(String(letter))) is not one of \(Self.speedLetters)"
        case .breakoutNotAllowed(let speed):
            "breakout sub-ports exist only on q and c ports, not on \(speed.rawValue) (\(speed.displayName)) ports"
        case .trailingText(let text):
            "unexpected \(quoted(text)) after the port number (a breakout is written x1–x4, as in q1x2)"
        }
    }

    /// What to do about it: the corrected value when known, else the expected shape.
    public var hint: String {
        if let suggestion { return "write \(suggestion)" }
        switch kind {
        case .enginePort:
            return "use the g, x, q or c port the node is cabled to, e.g. \(notation.example)"
        case .missingSpeedLetter, .unknownSpeedLetter:
            return "start the port with its speed letter, \(Self.speedLetters), e.g. \(notation.example)"
        default:
            return "write the tap port as \(notation.shape), e.g. \(notation.example)"
        }
    }

    /// `problem; hint`, for a single-line message.
    public var message: String { "\(problem); \(hint)" }

    private static let speedLetters = PortSpeed.allCases.map { "\($0.rawValue) (\($0.displayName))" }
        .joined(separator: ", ")

    private func range(of part: Part) -> String {
        let bounds = switch part {
        case .box: TapPort.Bounds.box
        case .slot: TapPort.Bounds.slot
        case .portNumber: TapPort.Bounds.number
        case .breakout: TapPort.Bounds.breakout
        }
        return "\(bounds.lowerBound)–\(bounds.upperBound)"
    }

    private func quoted(_ text: String) -> String { "\"\(text)\"" }
}

extension TapPortSyntaxError: CustomStringConvertible {
    public var description: String { "invalid tap port \"\(input)\": \(message)" }
}
