import Foundation
import Testing

/// `troxileia validate` end to end: a real process, real files, exit codes and output.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ValidateCommandTests {
    private func validate(_ arguments: String..., input: Data? = nil) throws -> TroxileiaProcess.Outcome {
        try TroxileiaProcess.run(["validate"] + arguments, input: input)
    }

    @Test(arguments: ["clean-nodelist.json", "clean.yaml"])
    func cleanFilesPass(file: String) throws {
        let outcome = try validate(TroxileiaProcess.fixture(file))
        #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(outcome.standardOutput == "3 nodes checked: 0 errors, 0 warnings\n")
    }

    @Test func reportsEveryKindOfFindingFromMultiDocumentYAML() throws {
        let outcome = try validate(TroxileiaProcess.fixture("findings.yaml"))
        #expect(outcome.status == 1)
        let text = outcome.standardOutput
        #expect(text.contains("error   node bad-port: label port=\"1/1/x1\" is not a valid tap port: label values cannot hold \"/\"\n        hint: write 1_1_x1"))
        #expect(text.contains("error   node bad-sensor: label sensor=\"yes\" is not valid"))
        #expect(text.contains("error   node dup-a: tap port 1_1_x3 is also labelled on dup-b"))
        #expect(text.contains("error   node dup-b: tap port 1_1_x3 is also labelled on dup-a"))
        #expect(text.contains("warning node no-port: sensor=true but no port label"))
        #expect(text.contains("warning node not-a-node: item 6 was skipped: a Pod, not a Node"))
        #expect(!text.contains("node fine"))
        #expect(text.hasSuffix("6 nodes checked: 4 errors, 2 warnings\n"))
    }

    @Test func jsonOutputHasTheDocumentedShape() throws {
        let outcome = try validate(TroxileiaProcess.fixture("duplicate-list.json"), "--output", "json")
        #expect(outcome.status == 1)
        let document = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
        let findings = try #require(document?["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        let first = findings[0]
        #expect(Set(first.keys) == ["node", "label", "value", "severity", "kind", "problem", "hint", "related"])
        #expect(first["node"] as? String == "sensor-02")
        #expect(first["label"] as? String == "port")
        #expect(first["value"] as? String == "1_1_x3")
        #expect(first["severity"] as? String == "error")
        #expect(first["related"] as? [String] == ["sensor-04"])
    }

    @Test func warningsFailOnlyWithStrict() throws {
        let file = TroxileiaProcess.fixture("warning-only.json")
        #expect(try validate(file).status == 0)
        #expect(try validate(file, "--strict").status == 1)
    }

    @Test func readsStandardInput() throws {
        let data = try Data(contentsOf: TroxileiaProcess.fixtures.appending(path: "duplicate-list.json"))
        let outcome = try validate("-", input: data)
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("node sensor-04"))
    }

    @Test func honoursCustomLabelKeys() throws {
        let outcome = try validate(TroxileiaProcess.fixture("custom-keys.yaml"),
                                   "--sensor-label", "tap.example.com/sensor", "--port-label", "tap.example.com/port")
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("label tap.example.com/port=\"1_1_X1\""))
        #expect(!outcome.standardOutput.contains("junk"))
    }

    @Test func readsFlagsFromTheirEnvironmentTwins() throws {
        let file = TroxileiaProcess.fixture("custom-keys.yaml")
        let environment = ["TROXILEIA_SENSOR_LABEL": "tap.example.com/sensor", "TROXILEIA_PORT_LABEL": "tap.example.com/port",
                           "TROXILEIA_OUTPUT": "json"]
        let outcome = try TroxileiaProcess.run(["validate", file], environment: environment)
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.hasPrefix("{\"findings\":[{"))
        #expect(outcome.standardOutput.contains("tap.example.com/port"))
        let overridden = try TroxileiaProcess.run(["validate", file, "--output", "text"], environment: environment)
        #expect(overridden.standardOutput.hasSuffix("1 node checked: 1 error, 0 warnings\n"))
        let bad = try TroxileiaProcess.run(["validate", file], environment: ["TROXILEIA_STRICT": "maybe"])
        #expect(bad.status != 0 && bad.status != 1 && bad.status != 2)
        #expect(bad.standardError.contains("TROXILEIA_STRICT=\"maybe\" is not valid"))
    }

    @Test func refusesAnInvalidLabelKeyAsAUsageError() throws {
        let outcome = try validate(TroxileiaProcess.fixture("clean.yaml"), "--port-label", "bad key")
        #expect(outcome.status != 0 && outcome.status != 1 && outcome.status != 2)
        #expect(outcome.standardError.contains("invalid port label key \"bad key\""))
    }

    @Test(arguments: [
        ("truncated.json", "invalid JSON at byte"),
        ("broken.yaml", "invalid YAML"),
        ("pod.json", "expected a Node, NodeList or List, found kind Pod"),
        ("does-not-exist.json", "No such file or directory"),
        ("", "is a directory"),
    ])
    func unreadableInputExitsTwoWithAReason(file: String, reason: String) throws {
        let outcome = try validate(TroxileiaProcess.fixture(file))
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains(reason), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func refusesInputOverTheSizeLimit() throws {
        let file = TroxileiaProcess.fixture("clean-nodelist.json")
        let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
        let outcome = try validate(file, "--max-input-bytes", "\(size - 1)")
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("more than the limit of \(size - 1)"))
        #expect(try validate(file, "--max-input-bytes", "\(size)").status == 0)
        let piped = try validate("--max-input-bytes", "100", input: Data(repeating: 0x20, count: 5_000))
        #expect(piped.status == 2)
        #expect(piped.standardError.contains("more than the limit of 100 bytes"))
    }

    /// A limit near Int.max once trapped the reader (it asks for limit + 1 bytes): refused up front.
    @Test func refusesALimitBeyondSixtyFourGiB() throws {
        let file = TroxileiaProcess.fixture("clean-nodelist.json")
        let outcome = try validate(file, "--max-input-bytes", "\(Int.max)")
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("--max-input-bytes must be at most 68719476736 (64 GiB)"), "\(outcome.standardError)")
        #expect(try validate(file, "--max-input-bytes", "68719476736").status == 0)
    }

    /// YAML is read as it streams in, and the limit still holds past the first chunk.
    @Test func refusesStreamedYAMLOverTheSizeLimit() throws {
        let items = (0..<4_000).map { "- kind: Node\n  metadata: {name: n\($0), labels: {sensor: \"false\"}}\n" }
        let text = "kind: List\nitems:\n" + items.joined()
        let limit = text.utf8.count - 1
        let outcome = try validate("-", "--max-input-bytes", "\(limit)", input: Data(text.utf8))
        #expect(outcome.status == 2)
        #expect(outcome.standardError == "troxileia validate: cannot read standard input: more than the limit of \(limit) bytes\n")
        let fits = try validate("-", "--max-input-bytes", "\(limit + 1)", input: Data(text.utf8))
        #expect(fits.status == 0, "\(fits.standardError)")
        #expect(fits.standardOutput == "4000 nodes checked: 0 errors, 0 warnings\n")
    }

    /// With an explicit `-`, even empty input is standard input (only no file at all falls back to the cluster).
    @Test(arguments: [Data(), Data("   \n".utf8), Data([0xFF, 0xFE, 0x00, 0x01]), Data("just a string".utf8)])
    func garbageOnStandardInputExitsTwo(input: Data) throws {
        let outcome = try validate("-", input: input)
        #expect(outcome.status == 2, "\(outcome.standardError)")
        #expect(outcome.standardError.hasPrefix("troxileia validate: cannot read standard input"))
    }

    @Test(arguments: [Data("   \n".utf8), Data("just a string".utf8)])
    func garbageOnStandardInputWithoutAFileIsStillStandardInput(input: Data) throws {
        let outcome = try validate(input: input)
        #expect(outcome.status == 2, "\(outcome.standardError)")
        #expect(outcome.standardError.hasPrefix("troxileia validate: cannot read standard input"))
    }

    /// No file and nothing on standard input: the cluster is read (here an unreadable kubeconfig, so it says so).
    @Test func noFileAndEmptyStandardInputReadsTheCluster() throws {
        let outcome = try validate("--kubeconfig", "/nonexistent/troxileia-kubeconfig", input: Data())
        #expect(outcome.status == 2, "\(outcome.standardError)")
        #expect(outcome.standardError.hasPrefix("troxileia validate: cannot read the nodes from the cluster:"))
        #expect(outcome.standardError.contains("/nonexistent/troxileia-kubeconfig"))
    }

    @Test func clusterFlagReadsTheClusterEvenWithInputWaiting() throws {
        let data = try Data(contentsOf: TroxileiaProcess.fixtures.appending(path: "duplicate-list.json"))
        let outcome = try validate("--cluster", "--kubeconfig", "/nonexistent/troxileia-kubeconfig", input: data)
        #expect(outcome.status == 2, "\(outcome.standardError)")
        #expect(outcome.standardError.hasPrefix("troxileia validate: cannot read the nodes from the cluster:"))
    }

    @Test func refusesAFileTogetherWithCluster() throws {
        let outcome = try validate("--cluster", TroxileiaProcess.fixture("clean.yaml"))
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("or --cluster, not both"))
    }
}
