/// A GigaVUE alias (map, GigaStream, port group): 1–128 characters, none of `\ / : , ? % " *`
/// or space (gigavue-cli.md "Aliases"). Only validated aliases reach a CLI command, so no
/// configured name can inject a second command or argument.
public struct AliasName: Hashable, Sendable, CustomStringConvertible {
    /// The alias as the device writes it.
    public let value: String

    /// Characters the device refuses in aliases.
    static let forbidden: Set<Character> = ["\\", "/", ":", ",", "?", "%", "\"", "*", " "]

    /// Validates `text`.
    /// - Throws: `TapError.invalidAlias` saying what is wrong (empty, too long, a forbidden or
    ///   non-printable character).
    public init(_ text: String) throws(TapError) {
        guard !text.isEmpty else { throw .invalidAlias(alias: text, problem: "it is empty") }
        guard text.count <= 128 else { throw .invalidAlias(alias: String(text.prefix(32)) + "…", problem: "it is longer than 128 characters") }
        if let bad = text.first(where: { Self.forbidden.contains($0) || !$0.isASCII || $0.asciiValue.map { $0 < 0x21 || $0 == 0x7F } == true }) {
            let shown = bad == " " ? "space" : bad.isASCII && bad.asciiValue.map({ $0 >= 0x21 && $0 != 0x7F }) == true
                ? "\"\(bad)\"" : "a non-printable or non-ASCII character"
            throw .invalidAlias(alias: text, problem: "it contains \(shown); aliases cannot hold \\ / : , ? % \" * or spaces")
        }
        value = text
    }

    public var description: String { value }
}
