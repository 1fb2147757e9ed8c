import Testing
@testable import HTTPServerCore

@Suite struct HTTPSyntaxTests {
    /// RFC 9110 §5.6.2: tchar is exactly ALPHA, DIGIT and these 15 symbols, for all 256 bytes.
    @Test func tokenCharactersAreExactlyTheRFCSet() {
        let symbols = Set("!#$%&'*+-.^_`|~".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            let isAlphaNumeric = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            #expect(HTTPSyntax.isTokenCharacter(byte) == (isAlphaNumeric || symbols.contains(byte)), "byte \(byte)")
        }
    }

    @Test func fieldValuesForbidControlsExceptTab() {
        for value in 0...255 {
            let byte = UInt8(value)
            let forbidden = (byte < 0x20 && byte != 0x09) || byte == 0x7F
            #expect(HTTPSyntax.isForbiddenInFieldValue(byte) == forbidden, "byte \(byte)")
        }
    }

    @Test(arguments: [("Content-Length", "content-length", true), ("HOST", "host", true),
                      ("Host", "Hos", false), ("Ünï", "ünï", false), ("a-b", "A-B", true), ("", "", true)])
    func comparesIgnoringOnlyASCIICase(lhs: String, rhs: String, equal: Bool) {
        #expect(HTTPSyntax.equalsIgnoringASCIICase(lhs, rhs) == equal)
    }

    @Test func trimsOnlySpacesAndTabs() {
        let trimmed = HTTPSyntax.trimmingWhitespace(Array(" \t a b \t".utf8))
        #expect(Array(trimmed) == Array("a b".utf8))
        #expect(HTTPSyntax.trimmingWhitespace(Array(" \t ".utf8)).isEmpty)
        #expect(Array(HTTPSyntax.trimmingWhitespace(Array("\ra\r".utf8))) == Array("\ra\r".utf8))
    }

    @Test(arguments: [("a, b ,c", ["a", "b", "c"]), (" , ,a,, ", ["a"]), ("", []), ("keep-alive", ["keep-alive"])])
    func splitsListsDroppingEmptyMembers(value: String, members: [String]) {
        #expect(HTTPSyntax.listMembers(value) == members)
    }

    @Test func findsListTokensAcrossValuesIgnoringCase() {
        #expect(HTTPSyntax.list(["Upgrade", "foo, CLOSE"], contains: "close"))
        #expect(!HTTPSyntax.list(["closed", "enclose"], contains: "close"))
        #expect(!HTTPSyntax.list([], contains: "close"))
    }
}
