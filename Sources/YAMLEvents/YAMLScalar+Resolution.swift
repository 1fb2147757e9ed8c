/// Implicit typing of plain scalars, as the YAML 1.1 types repository (yaml.org/type) and Yams'
/// default resolver read them: what a kubeconfig's `insecure-skip-tls-verify: true` means.
extension YAMLScalar {
    /// The tag of the string type.
    public static let stringTag = "tag:yaml.org,2002:str"

    /// The type a scalar resolves to, for comparing keys.
    public enum ResolvedTag: Sendable, Hashable {
        case string, null, bool, int, float
        /// An explicit tag other than `!!str`.
        case explicit(String)
    }

    /// The scalar's type: its explicit tag, string when quoted or block, else the first YAML 1.1
    /// implicit type its text matches (bool, int, float, null), else string.
    public var resolvedTag: ResolvedTag {
        if let tag { return tag == Self.stringTag ? .string : .explicit(tag) }
        guard style == .plain else { return .string }
        if Self.boolValues[value] != nil { return .bool }
        if Self.isInt(value) { return .int }
        if Self.isFloat(value) { return .float }
        if isNull { return .null }
        return .string
    }

    /// `true` for a plain `~`, `null`, `Null`, `NULL` or empty scalar, whatever its tag (as Yams reads null).
    public var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(value)
    }

    /// The boolean the scalar means: YAML 1.1's `true`/`false`, `yes`/`no`, `on`/`off` (lower, Title
    /// or UPPER case) when plain and untagged, any case under an explicit non-string tag; `nil` for
    /// strings (quoted, or tagged `!!str`) and anything else.
    public var bool: Bool? {
        if let tag {
            guard tag != Self.stringTag else { return nil }
            return Self.boolValues[value.lowercased()]
        }
        guard style == .plain else { return nil }
        return Self.boolValues[value]
    }

    private static let boolValues: [String: Bool] = {
        var values: [String: Bool] = [:]
        for (word, meaning) in [("yes", true), ("no", false), ("true", true), ("false", false), ("on", true), ("off", false)] {
            let title = word.prefix(1).uppercased() + word.dropFirst()
            for form in [word, title, word.uppercased()] { values[form] = meaning }
        }
        return values
    }()

    /// YAML 1.1 int: `[-+]?` then binary `0b…`, octal `0…`, decimal, hex `0x…` or sexagesimal, `_` allowed.
    static func isInt(_ text: String) -> Bool {
        var digits = Substring(text)
        if let sign = digits.first, sign == "-" || sign == "+" { digits = digits.dropFirst() }
        func all(_ body: Substring, _ allowed: (Character) -> Bool) -> Bool { !body.isEmpty && body.allSatisfy { $0 == "_" || allowed($0) } }
        if digits.hasPrefix("0b") { return all(digits.dropFirst(2)) { $0 == "0" || $0 == "1" } }
        if digits.hasPrefix("0x") { return all(digits.dropFirst(2)) { $0.isHexDigit } }
        if digits == "0" { return true }
        if digits.hasPrefix("0") { return all(digits.dropFirst(digits.hasPrefix("0o") ? 2 : 1)) { ("0"..."7").contains($0) } }
        guard let first = digits.first, ("1"..."9").contains(first) else { return false }
        // Decimal, or sexagesimal (`1:30`): groups after the first of one or two digits below 60.
        let groups = digits.split(separator: ":", omittingEmptySubsequences: false)
        guard all(groups[0], { $0.isASCII && $0.isNumber }) else { return false }
        return groups.dropFirst().allSatisfy { group in
            group.count <= 2 && group.allSatisfy { $0.isASCII && $0.isNumber } && !group.isEmpty && (group.count < 2 || group.first.map { $0 <= "5" } == true)
        }
    }

    /// YAML 1.1 float, the common forms: `[-+]?digits[.digits][e[-+]digits]`, `.5`, `.inf`, `.nan`.
    static func isFloat(_ text: String) -> Bool {
        if [".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", ".nan", ".NaN", ".NAN"].contains(text) {
            return true
        }
        var rest = Substring(text)
        if let sign = rest.first, sign == "-" || sign == "+" { rest = rest.dropFirst() }
        let mantissaEnd = rest.firstIndex { $0 == "e" || $0 == "E" } ?? rest.endIndex
        let mantissa = rest[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigit: (Character) -> Bool = { $0 == "_" || ($0.isASCII && $0.isNumber) }
        guard parts.allSatisfy({ $0.allSatisfy(isDigit) }), parts.contains(where: { !$0.isEmpty }) else { return false }
        // Without an exponent, `.5` and `5.` are floats too, a bare `5` is an int (isInt).
        if mantissaEnd == rest.endIndex { return parts.count == 2 }
        var exponent = rest[rest.index(after: mantissaEnd)...]
        if let sign = exponent.first, sign == "-" || sign == "+" { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && exponent.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
