extension StringProtocol where SubSequence == Substring {
    /// The text without the spaces and tabs around it (Unicode whitespace other than line breaks),
    /// as Foundation's `trimmingCharacters(in: .whitespaces)` gives it; FoundationEssentials, all
    /// the binary imports (no ICU), has no CharacterSet trimming.
    public func trimmingBlanks() -> String {
        trimming { $0.isWhitespace && !$0.isNewline }
    }

    /// The text without the whitespace, line breaks included, around it (as `.whitespacesAndNewlines`).
    public func trimmingWhitespace() -> String {
        trimming(\.isWhitespace)
    }

    private func trimming(_ drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first...last])
    }
}
