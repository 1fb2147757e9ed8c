import Testing
import TroxileiaCore

@Suite struct StringInternerTests {
    /// Where a string's bytes live: equal for two strings sharing one buffer.
    private static func storage(_ text: String) -> UnsafeRawPointer? {
        var copy = text
        return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    /// A fresh heap string equal to `text` (built at run time, so never a literal's static storage).
    private static func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

    @Test func equalLongStringsShareOneBuffer() {
        let interner = StringInterner(capacity: 10, maxLength: 100)
        let first = interner.intern(Self.fresh("topology.kubernetes.io/zone"))
        let second = Self.fresh("topology.kubernetes.io/zone")
        #expect(Self.storage(first) != Self.storage(second))
        let shared = interner.intern(second)
        #expect(shared == "topology.kubernetes.io/zone")
        #expect(Self.storage(shared) == Self.storage(first))
        #expect(interner.count == 1)
    }

    @Test func shortTooLongAndOverCapacityStringsAreReturnedAsTheyAre() {
        let interner = StringInterner(capacity: 2, maxLength: 30)
        #expect(interner.intern("sensor") == "sensor")
        #expect(interner.intern(String(repeating: "k", count: 31)) == String(repeating: "k", count: 31))
        #expect(interner.count == 0)
        for i in 0..<5 { #expect(interner.intern(Self.fresh("example.com/key-number-\(i)")) == "example.com/key-number-\(i)") }
        #expect(interner.count == 2)
    }

    @Test func labelKeysOfTwoObjectsShareStorage() throws {
        let (first, second) = try JSONSkimmer.skim(Array(#"[{"kubernetes.io/hostname":"a"},{"kubernetes.io/hostname":"b"}]"#.utf8)) {
            skimmer throws(JSONSkimError) in
            var maps: [[String: String]] = []
            try skimmer.forEachElement { skimmer, _ throws(JSONSkimError) in maps.append(try skimmer.readStringMap()) }
            return (maps.first ?? [:], maps.last ?? [:])
        }
        #expect(first == ["kubernetes.io/hostname": "a"] && second == ["kubernetes.io/hostname": "b"])
        let keys = (first.keys.first ?? "", second.keys.first ?? "")
        #expect(Self.storage(keys.0) == Self.storage(keys.1))
    }
}
