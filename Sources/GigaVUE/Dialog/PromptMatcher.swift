/// The CLI mode a prompt shows (gigavue-cli.md "Session", steps 2, 3, 5 and 6).
public enum CLIMode: Hashable, Sendable, CustomStringConvertible {
    /// `HOSTNAME >`
    case user
    /// `HOSTNAME #`
    case enable
    /// `HOSTNAME (config) #`
    case config
    /// `HOSTNAME (config map sensor_map) #`: any `(config …)` other than plain configure mode, with the
    /// text inside the parentheses (it differs between releases, so it is kept, never parsed).
    case subMode(String)

    /// The mode as a person reads it.
    public var description: String {
        switch self {
        case .user: "user mode"
        case .enable: "enable mode"
        case .config: "configure mode"
        case .subMode(let context): "sub-mode (\(context))"
        }
    }
}

/// What the end of the cleaned buffer is waiting for.
public enum Prompt: Hashable, Sendable {
    /// A CLI prompt in `mode`: the command's output is complete.
    case cli(CLIMode)
    /// `--More--`: the device pages output and waits for a key.
    case pager
    /// `Password:` alone: the enable password (gigavue-cli.md step 3).
    case password
    /// Any other password prompt (`Admin Password:`, `New password:` …): a forced password change on
    /// first login (gigavue-cli.md, "stop with a clear error"). Carries the prompt line.
    case passwordChange(String)
    /// A `[yes/no]` or `(y/n)` question; carries the line. We never answer one.
    case confirmation(String)
}

/// Decides whether the accumulated, cleaned buffer ends in a prompt.
///
/// gigavue-cli.md "Session": a CLI prompt is the buffer ending in `>` or `#` plus optional space, on a
/// line that starts with the hostname — never "the last chunk ends in `# `", so a `#` in output only
/// counts in the prompt's exact form. Only the last line is looked at. The hostname (letters, digits,
/// `-`, `_`, `.`) is learned from the first `HOSTNAME >` (or `HOSTNAME #`) prompt unless given.
public struct PromptMatcher: Hashable, Sendable {
    /// The device's hostname: given, or learned from the first prompt; `nil` before that.
    public private(set) var hostname: String?

    /// A matcher that learns the hostname (`nil`) or insists on `hostname`.
    public init(hostname: String? = nil) {
        self.hostname = hostname
    }

    /// The prompt `buffer` ends in, or `nil` when output may still be coming. Learns the hostname
    /// from the first CLI prompt.
    public mutating func match(_ buffer: some StringProtocol) -> Prompt? {
        let line = Self.lastLine(of: buffer)
        let trimmed = line.trimmingSpaces
        if trimmed.contains("--More--") { return .pager }
        let lower = trimmed.lowercased()
        for question in ["[yes/no]", "(yes/no)", "[y/n]", "(y/n)"] where lower.contains(question) {
            return .confirmation(String(trimmed))
        }
        if lower == "password:" { return .password }
        if lower.hasSuffix(":") && lower.contains("password") { return .passwordChange(String(trimmed)) }
        return cliPrompt(line)
    }

    /// Whether `buffer`'s last line looks like a prompt of some kind (ends in `:`, `>`, `#`, `?`, `]`
    /// or `$` plus optional space): after a quiet period with no match, the dialog reports it as an
    /// unknown prompt instead of waiting for a timeout.
    public static func looksLikePrompt(_ buffer: some StringProtocol) -> Bool {
        guard let last = lastLine(of: buffer).trimmingSpaces.last else { return false }
        return ":>#?]$".contains(last)
    }

    /// The text after the last line break of `buffer`.
    static func lastLine(of buffer: some StringProtocol) -> Substring {
        let text = Substring(buffer)
        guard let newline = text.lastIndex(of: "\n") else { return text }
        return text[text.index(after: newline)...]
    }

    private mutating func cliPrompt(_ line: Substring) -> Prompt? {
        var rest = line.trimmingTrailingSpaces
        guard let marker = rest.popLast(), marker == ">" || marker == "#" else { return nil }
        rest = rest.trimmingTrailingSpaces
        let context: Substring?
        if rest.last == ")", let open = rest.lastIndex(of: "(") {
            context = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            rest = rest[..<open].trimmingTrailingSpaces
        } else {
            context = nil
        }
        guard Self.isHostname(rest) else { return nil }
        if let hostname, hostname != rest { return nil }
        let mode: CLIMode
        switch (marker, context) {
        case (">", nil): mode = .user
        case ("#", nil): mode = .enable
        case ("#", "config"?): mode = .config
        case ("#", let inner?) where inner.hasPrefix("config "): mode = .subMode(String(inner))
        default: return nil
        }
        if hostname == nil { hostname = String(rest) }
        return .cli(mode)
    }

    private static func isHostname(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring { Substring(self).trimmingLeadingSpaces.trimmingTrailingSpaces }

    /// Without trailing spaces and tabs.
    var trimmingTrailingSpaces: Substring {
        let text = Substring(self)
        guard let last = text.lastIndex(where: { $0 != " " && $0 != "\t" }) else {
            return text[text.startIndex..<text.startIndex]
        }
        return text[...last]
    }

    /// Without leading spaces and tabs.
    var trimmingLeadingSpaces: Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return text[text.endIndex...] }
        return text[first...]
    }
}
