import GigaVUE
import Testing

@Suite struct AliasNameTests {
    @Test(arguments: ["sensor_map", "sensor_stream", "net_group", "a", String(repeating: "x", count: 128), "map-1.v2"])
    func acceptsValidAliases(text: String) throws {
        #expect(try AliasName(text).value == text)
    }

    @Test(arguments: [("", "empty"), (String(repeating: "x", count: 129), "longer than 128"), ("a b", "space"),
                      ("a/b", "\"/\""), ("a\\b", "\"\\\""), ("a:b", "\":\""), ("a,b", "\",\""), ("a?b", "\"?\""),
                      ("a%b", "\"%\""), ("a\"b", "\"\"\""), ("a*b", "\"*\""), ("a\nno map", "non-printable"), ("añ", "non-ASCII")])
    func refusesWhatTheDeviceRefuses(text: String, problem: String) {
        do {
            _ = try AliasName(text)
            Issue.record("\(text) accepted")
        } catch {
            guard case .invalidAlias(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains(problem), "\(error)")
        }
    }
}
