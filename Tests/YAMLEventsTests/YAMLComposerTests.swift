import Testing
import YAMLEvents

/// `YAMLComposer`: trees for small documents, aliases resolved within a bound, duplicate keys refused;
/// and the scalar typing kubeconfig reads (`YAMLScalar+Resolution`).
@Suite struct YAMLComposerTests {
    private func compose(_ text: String, maximumNodes: Int = 1 << 20) throws(YAMLError) -> YAMLNode? {
        try YAMLComposer.singleDocument(Array(text.utf8), maximumNodes: maximumNodes)
    }

    @Test func buildsMappingsSequencesAndScalars() throws {
        let root = try #require(try compose("kind: Config\nclusters:\n- name: a\n  cluster: {server: 'https://a'}\n"))
        #expect(root["kind"]?.scalar?.value == "Config")
        guard case .sequence(let clusters, let mark) = root["clusters"] else { Issue.record("no sequence"); return }
        #expect(mark.line == 3)
        #expect(clusters.first?["cluster"]?["server"]?.scalar?.style == .singleQuoted)
        #expect(root["missing"] == nil)
    }

    @Test func anEmptyStreamHasNoDocument() throws {
        #expect(try compose("") == nil)
        #expect(try compose("# only a comment\n") == nil)
        #expect(try compose("---\n")?.scalar?.isNull == true)
    }

    @Test func refusesASecondDocument() throws {
        let error = try #require(throws: YAMLError.self) { try compose("a: 1\n---\nb: 2\n") }
        #expect(error.problem == "but found another document")
        #expect(error.mark?.line == 2)
    }

    @Test func refusesDuplicateKeys() throws {
        let error = try #require(throws: YAMLError.self) { try compose("a: 1\nb: 2\na: 3\n") }
        #expect(error.problem.contains("duplicate key a"))
        #expect(error.mark?.line == 3)
        // `1` and `"1"` are different keys: an int and a string.
        #expect(try compose("1: a\n\"1\": b\n") != nil)
    }

    @Test func resolvesAliasesToTheirAnchoredNode() throws {
        let root = try #require(try compose("base: &b {server: https://a}\ncopy: *b\n"))
        #expect(root["copy"] == root["base"])
        let error = try #require(throws: YAMLError.self) { try compose("a: *nowhere\n") }
        #expect(error.problem.contains("undefined alias"))
    }

    /// Ten levels of ten aliases stand for 10^10 nodes: refused at the node bound, not built.
    @Test func billionLaughsIsRefused() throws {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(previous)]\n"
        }
        let error = try #require(throws: YAMLError.self) { try compose(text) }
        #expect(error.kind == .limit)
        #expect(error.problem.contains("aliases counted expanded"))
    }

    @Test(arguments: [
        ("true", true), ("True", true), ("TRUE", true), ("yes", true), ("on", true),
        ("false", false), ("No", false), ("OFF", false),
    ])
    func plainBooleans(text: String, value: Bool) throws {
        #expect(try compose("v: \(text)\n")?["v"]?.scalar?.bool == value)
    }

    @Test(arguments: ["\"true\"", "'yes'", "tRuE", "1", "!!str true", "maybe"])
    func notBooleans(text: String) throws {
        #expect(try compose("v: \(text)\n")?["v"]?.scalar?.bool == nil)
    }

    @Test func explicitlyTaggedBooleansReadInAnyCase() throws {
        #expect(try compose("v: !!bool tRuE\n")?["v"]?.scalar?.bool == true)
    }

    @Test(arguments: [("~", true), ("null", true), ("NULL", true), ("", true), ("'null'", false), ("\"\"", false), ("nil", false)])
    func nulls(text: String, isNull: Bool) throws {
        #expect(try compose("v: \(text)\n")?["v"]?.scalar?.isNull == isNull)
    }

    @Test(arguments: [
        ("1", YAMLScalar.ResolvedTag.int), ("-0x1F", .int), ("0o17", .int), ("1_000", .int), ("1:30", .int),
        ("1.5", .float), (".5", .float), ("5.", .float), (".5e+3", .float), ("1e3", .float), (".inf", .float), ("true", .bool), ("~", .null),
        ("1.2.3", .string), ("0x", .string), ("v1", .string),
    ])
    func implicitTypes(text: String, tag: YAMLScalar.ResolvedTag) {
        #expect(YAMLScalar(value: text).resolvedTag == tag)
    }
}
