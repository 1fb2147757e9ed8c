import GigaVUE
import Testing

@Suite struct TerminalTextTests {
    static let cases: [(String, [UInt8], String)] = [
        ("plain text", Array("abc\n".utf8), "abc\n"),
        ("CSI colour", Array("\u{1B}[1;32mok\u{1B}[0m".utf8), "ok"),
        ("CSI erase line", Array("a\u{1B}[Kb".utf8), "ab"),
        ("CSI private mode", Array("\u{1B}[?2004hx".utf8), "x"),
        ("OSC ended by BEL", Array("\u{1B}]0;title\u{07}x".utf8), "x"),
        ("OSC ended by ST", Array("\u{1B}]0;ti\u{1B}tle\u{1B}\\x".utf8), "x"),
        ("single-char ESC", Array("\u{1B}7a\u{1B}=b".utf8), "ab"),
        ("backspace", Array("abc\u{08}d".utf8), "abd"),
        ("backspace at line start", Array("ab\n\u{08}\u{08}c".utf8), "ab\nc"),
        ("backspace at buffer start", Array("\u{08}a".utf8), "a"),
        ("backspace over multibyte", Array("aé\u{08}b".utf8), "ab"),
        ("CRLF", Array("a\r\nb\r\n".utf8), "a\nb\n"),
        ("lone CR", Array("a\rb".utf8), "ab"),
        ("invalid UTF-8", [0x61, 0xFF, 0x62], "a\u{FFFD}b"),
        ("empty", [], ""),
    ]

    @Test(arguments: cases)
    func cleans(_ name: String, _ input: [UInt8], _ expected: String) {
        #expect(TerminalText.clean(input) == expected, "\(name)")
    }

    @Test(arguments: cases)
    func cleansTheSameWhenSplitIntoSingleBytes(_ name: String, _ input: [UInt8], _ expected: String) throws {
        var terminal = TerminalText()
        for byte in input { try terminal.append([byte]) }
        #expect(terminal.text == expected, "\(name)")
    }

    @Test func lastLineIsTheTextAfterTheLastBreak() throws {
        var terminal = TerminalText()
        try terminal.append(Array("banner\r\nhost > ".utf8))
        #expect(terminal.lastLine == "host > ")
        terminal.reset()
        #expect(terminal.isEmpty && terminal.lastLine.isEmpty && terminal.receivedCount == 0)
    }

    @Test func refusesInputOverTheLimit() throws {
        var terminal = TerminalText(limit: 8)
        try terminal.append(Array("12345".utf8))
        #expect(throws: TerminalText.TooLarge(limit: 8)) { try terminal.append(Array("6789".utf8)) }
        #expect(terminal.text == "12345")
    }

    @Test func clearTextKeepsCountingTowardTheLimit() throws {
        var terminal = TerminalText(limit: 6)
        try terminal.append(Array("1234".utf8))
        terminal.clearText()
        #expect(terminal.isEmpty && terminal.receivedCount == 4)
        #expect(throws: TerminalText.TooLarge.self) { try terminal.append(Array("567".utf8)) }
    }

    @Test func defaultLimitIsFourMebibytes() {
        #expect(TerminalText().limit == 4 * 1024 * 1024)
    }
}
