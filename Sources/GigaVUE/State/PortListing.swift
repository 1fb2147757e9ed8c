import TroxileiaCore

/// The chassis ports and their types, read from `show port` (gigavue-cli.md "Listing the device's
/// ports"): a table framed by `====`/`----` lines whose rows start with the port ID and its type.
///
/// Lenient like `RunningConfig`: a line whose first word is not a port in CLI form (headers, rules,
/// banners, engine ports such as `1/2/e1`) is skipped; a row without a type column reads as type `""`.
public struct PortListing: Hashable, Sendable {
    /// Port → type as shown (`network`, `tool`, `hybrid`, `gs`, …).
    public let types: [TapPort: String]

    /// The ports read, sorted.
    public var ports: [TapPort] { types.keys.sorted() }

    /// A listing of exactly these ports and types (tests).
    public init(types: [TapPort: String]) {
        self.types = types
    }

    /// Reads the table in `text`; `nil` when no row could be read (the device printed no table).
    public init?(parsing text: String) {
        var types: [TapPort: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: \.isWhitespace)
            guard let first = words.first, first.contains("/"),
                  case .success(let port) = TapPort.parse(String(first), notation: .cli) else { continue }
            types[port] = words.count > 1 ? String(words[1]) : ""
            if types.count > RunningConfig.portLimit { break }
        }
        guard !types.isEmpty else { return nil }
        self.types = types
    }

    /// Whether the chassis has `port`.
    public func contains(_ port: TapPort) -> Bool { types[port] != nil }
}
