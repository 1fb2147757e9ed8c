import Testing
import TroxileiaCore

@Suite struct JSONSkimmerTests {
    private func skim<T>(_ text: String, _ body: (inout JSONSkimmer) throws(JSONSkimError) -> T) throws(JSONSkimError) -> T {
        try JSONSkimmer.skim(Array(text.utf8), body)
    }

    @Test func readsWantedMembersAndSkipsEveryOtherKindOfValue() throws {
        let text = #"""
            { "skip1": {"a": [1, -2.5e3, true, false, null, "x\"]}"], "b": {}}, "skip2": [],
              "name": "n1", "skip3": 0.25, "flag": true, "skip4": "}", "labels": {"k": "v", "k2": ""} }
            """#
        var name = "", flag = false, labels: [String: String] = [:]
        try skim(text) { skimmer throws(JSONSkimError) in
            try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                switch key {
                case "name": name = try skimmer.readString()
                case "flag": flag = try skimmer.readBool()
                case "labels": labels = try skimmer.readStringMap()
                default: break
                }
            }
        }
        #expect(name == "n1" && flag && labels == ["k": "v", "k2": ""])
    }

    @Test(arguments: [
        (#""plain""#, "plain"), (#""a\"b\\c\/d""#, "a\"b\\c/d"), (#""\n\t\r\b\f""#, "\n\t\r\u{8}\u{c}"),
        (#""\u00e9t\u00E9""#, "été"), (#""\ud83d\ude00""#, "😀"), (#""naïve""#, "naïve"), (#""""#, ""),
    ])
    func decodesStringEscapes(json: String, expected: String) throws {
        #expect(try skim(json) { skimmer throws(JSONSkimError) in try skimmer.readString() } == expected)
    }

    @Test func readsNumbersVerbatimAndIntegers() throws {
        #expect(try skim(" -2.50e+3") { skimmer throws(JSONSkimError) in try skimmer.readNumberText() } == "-2.50e+3")
        #expect(try skim("410") { skimmer throws(JSONSkimError) in try skimmer.readInt() } == 410)
        #expect(throws: JSONSkimError.self) { try skim("1.5") { skimmer throws(JSONSkimError) in try skimmer.readInt() } }
        #expect(throws: JSONSkimError.self) { try skim("-") { skimmer throws(JSONSkimError) in try skimmer.readNumberText() } }
    }

    @Test func iteratesArraysWithIndexes() throws {
        var seen: [Int] = []
        try skim(#"[ "a", {"x": 1}, "c" ]"#) { skimmer throws(JSONSkimError) in
            try skimmer.forEachElement { skimmer, index throws(JSONSkimError) in
                if index != 1 { _ = try skimmer.readString() }
                seen.append(index)
            }
        }
        #expect(seen == [0, 1, 2])
    }

    /// Every malformed input is an error with an offset, never a crash or a misread.
    @Test(arguments: [
        "", "   ", "{", "{\"a\":", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{\"a\":[1}", "{\"a\":{]}", "[", "]",
        "{\"a\":\"unterminated}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{} {}", "{}x",
        "{\"a\":\"tab\tinside\"}", "{'a':1}", "{\"a\":[1 2]}x", "\u{0}",
    ])
    func rejectsMalformedInput(text: String) {
        #expect(throws: JSONSkimError.self) {
            try skim(text) { skimmer throws(JSONSkimError) in try skimmer.skipValue() }
        }
    }

    /// The word-at-a-time scan finds a quote, backslash or control character at any position
    /// of any 8-byte word, next to any UTF-8.
    @Test func findsSpecialBytesAtEveryPositionOfAWord() throws {
        for length in 0..<24 {
            for position in 0...length {
                let prefix = String(repeating: "é", count: position / 2) + String(repeating: "a", count: position % 2)
                let suffix = String(repeating: "b", count: length - position)
                let escaped = "[\"" + prefix + "\\\"" + suffix + "\", 1]"
                #expect(throws: Never.self) { try skim(escaped) { skimmer throws(JSONSkimError) in try skimmer.skipValue() } }
                let control = "[\"\(prefix)\u{1}\(suffix)\", 1]"
                #expect(throws: JSONSkimError.self) { try skim(control) { skimmer throws(JSONSkimError) in try skimmer.skipValue() } }
                let cut = "[\"\(prefix)\", 1, \"\(suffix)\"]"
                var count = 0
                try skim(cut) { skimmer throws(JSONSkimError) in
                    try skimmer.forEachElement { _, _ throws(JSONSkimError) in count += 1 }
                }
                #expect(count == 3)
            }
        }
    }

    @Test func boundsNestingDepth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSkimError.self) {
            try skim(deep) { skimmer throws(JSONSkimError) in try skimmer.skipValue() }
        }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) {
            try skim(fine) { skimmer throws(JSONSkimError) in try skimmer.skipValue() }
        }
    }

    @Test func refusesNonStringLabelValuesNamingTheKey() {
        #expect(throws: JSONSkimError(offset: 16, problem: "the value of \"port\" must be a string")) {
            try skim(#"{"a":"b","port":7}"#) { skimmer throws(JSONSkimError) in try skimmer.readStringMap() }
        }
    }

    @Test func errorsSayWhereAndWhat() {
        do {
            try skim(#"{"a": [1, 2}"#) { skimmer throws(JSONSkimError) in try skimmer.skipValue() }
            Issue.record("accepted")
        } catch {
            #expect(error.description == "invalid JSON at byte 11: mismatched \"}\"")
        }
    }
}
