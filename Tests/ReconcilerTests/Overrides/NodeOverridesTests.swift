import Reconciler
import Testing

@Suite struct NodeOverridesTests {
    @Test func noAnnotationsMeanDefaults() {
        let overrides = NodeOverrides(annotations: ["other": "x"])
        #expect(!overrides.excluded && overrides.podNotReadyTimeout == nil && overrides.problems.isEmpty)
    }

    @Test(arguments: [("true", true), ("false", false)])
    func readsExclude(value: String, excluded: Bool) {
        let overrides = NodeOverrides(annotations: [NodeOverrides.Key.exclude: value])
        #expect(overrides.excluded == excluded && overrides.problems.isEmpty)
    }

    @Test(arguments: ["90s", "5m", "1h30m", "0"])
    func readsTheTimeout(value: String) {
        let overrides = NodeOverrides(annotations: [NodeOverrides.Key.podNotReadyTimeout: value])
        #expect(overrides.podNotReadyTimeout != nil && overrides.problems.isEmpty)
    }

    @Test(arguments: [
        (NodeOverrides.Key.exclude, "yes"), (NodeOverrides.Key.exclude, "True"), (NodeOverrides.Key.exclude, ""),
        (NodeOverrides.Key.podNotReadyTimeout, "5 minutes"), (NodeOverrides.Key.podNotReadyTimeout, "-1s"),
        (NodeOverrides.Key.podNotReadyTimeout, ""),
    ])
    func ignoresMalformedValuesWithAProblem(key: String, value: String) {
        let overrides = NodeOverrides(annotations: [key: value])
        #expect(!overrides.excluded && overrides.podNotReadyTimeout == nil)
        #expect(overrides.problems.count == 1)
        #expect(overrides.problems[0].contains(key) && overrides.problems[0].contains("ignored"))
    }

    @Test func quotesLongOrControlValuesSafely() {
        let overrides = NodeOverrides(annotations: [NodeOverrides.Key.exclude: "a\u{1B}[31m" + String(repeating: "x", count: 200)])
        #expect(!overrides.problems[0].contains("\u{1B}"))
        #expect(overrides.problems[0].count < 200)
    }
}
