import Testing
import TroxileiaCore

@Suite struct TrimmingTests {
    @Test(arguments: [
        ("  application/json\t", "application/json"), ("zeek", "zeek"), ("", ""), (" \t ", ""),
        (" a b ", "a b"), ("\u{00A0}x\u{2003}", "x"), ("x\n", "x\n"), ("\nx", "\nx"),
    ])
    func blanksGoLineBreaksStay(text: String, expected: String) {
        #expect(text.trimmingBlanks() == expected)
        #expect(text[...].trimmingBlanks() == expected)
    }

    @Test(arguments: [("\n SHA256:abc \r\n", "SHA256:abc"), ("\t\n", ""), ("a\nb", "a\nb"), ("x", "x")])
    func whitespaceGoesLineBreaksIncluded(text: String, expected: String) {
        #expect(text.trimmingWhitespace() == expected)
    }
}
