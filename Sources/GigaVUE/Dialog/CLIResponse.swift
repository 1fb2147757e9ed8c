/// The device's answer to one command: the cleaned text between the echoed command and the next prompt.
///
/// gigavue-cli.md "Session": a successful configuration command prints nothing; an error is a line
/// starting with `%` (e.g. `% Invalid port '3/1/1': invalid port syntax`). Anything else is
/// informational output (`show running-config`) and is kept.
public struct CLIResponse: Hashable, Sendable, CustomStringConvertible {
    /// How the device answered.
    public enum Outcome: Hashable, Sendable {
        /// No output: the command was accepted.
        case success
        /// Output without a `%` line: accepted, and the text is kept.
        case output
        /// One or more `%` lines: the device refused the command. Carries those lines, joined by `\n`.
        case deviceError(String)
    }

    /// The output, without blank lines at either end (pager leftovers removed).
    public let text: String
    /// What `text` means.
    public let outcome: Outcome

    /// Parses `output` (already cleaned by `TerminalText`, echo and prompt removed).
    public init(output: String) {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Self.removingPager($0).trimmingTrailingSpaces }
        let first = lines.firstIndex { !$0.isEmpty } ?? lines.endIndex
        let last = lines.lastIndex { !$0.isEmpty } ?? first
        let kept = first < lines.endIndex ? lines[first...last] : []
        text = kept.joined(separator: "\n")
        let errors = kept.map(\.trimmingLeadingSpaces).filter { $0.hasPrefix("%") }
        if !errors.isEmpty {
            outcome = .deviceError(errors.joined(separator: "\n"))
        } else {
            outcome = text.isEmpty ? .success : .output
        }
    }

    /// The device's `%` text, or `nil` when the command was accepted.
    public var deviceError: String? {
        if case .deviceError(let text) = outcome { return text }
        return nil
    }

    /// Whether the device accepted the command (no `%` line).
    public var isSuccess: Bool { deviceError == nil }

    /// The text, or `(no output)`.
    public var description: String { text.isEmpty ? "(no output)" : text }

    /// Drops a `--More--` marker the device redrew over with `\r` rather than backspaces (after
    /// cleaning, the marker and its blanking spaces would otherwise stay glued to the next line).
    private static func removingPager(_ line: Substring) -> Substring {
        guard let range = line.firstRange(of: "--More--") else { return line }
        let after = line[range.upperBound...].trimmingLeadingSpaces
        return Substring(String(line[..<range.lowerBound]) + after)
    }
}
