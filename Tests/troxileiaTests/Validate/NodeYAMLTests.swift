import Foundation
import Testing
@testable import troxileia
import TroxileiaCore

/// `NodeYAML`: nodes streamed out of YAML, the same records and messages whatever the chunking,
/// and memory that does not grow with the input.
@Suite struct NodeYAMLTests {
    private func read(_ text: String, chunk: Int = 64 << 10) throws -> NodeDocument {
        try NodeYAML.readDocuments(Array(text.utf8), chunk: chunk)
    }

    private func failure(_ text: String) -> String? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: ["clean.yaml", "findings.yaml", "custom-keys.yaml"])
    func tinyChunksReadTheSameAsWholeInput(file: String) throws {
        let text = try String(contentsOfFile: TroxileiaProcess.fixture(file), encoding: .utf8)
        let whole = try read(text)
        #expect(!whole.nodes.isEmpty)
        for chunk in [1, 7, 100] { #expect(try read(text, chunk: chunk) == whole) }
    }

    /// kubectl prints `items` before `kind`: the list's kind decides at its end.
    @Test(arguments: ["NodeList", "List"])
    func readsAListWhoseKindFollowsItsItems(kind: String) throws {
        let text = """
            apiVersion: v1
            items:
            - kind: Node
              metadata: {name: a, uid: u-a, labels: {port: 1_1_x1, sensor: "true"}, annotations: {note: x}}
              status: {images: [{names: [i1, i2], sizeBytes: 1}], conditions: [{type: Ready, status: "True"}]}
            - metadata: {name: b, deletionTimestamp: "2026-12-07T00:00:00Z"}
            - kind: Pod
              metadata: {name: p}
            - metadata: {labels: {a: b}}
            - just a scalar
            kind: \(kind)
            metadata: {resourceVersion: "1"}
            """
        let document = try read(text)
        #expect(document.nodes == [
            NodeRecord(name: "a", uid: "u-a", labels: ["port": "1_1_x1", "sensor": "true"], annotations: ["note": "x"]),
            NodeRecord(name: "b", isTerminating: true),
        ])
        #expect(document.skipped == [
            .init(index: 2, name: "p", reason: "a Pod, not a Node"),
            .init(index: 3, name: nil, reason: "no metadata.name"),
            .init(index: 4, name: nil, reason: "no metadata.name"),
        ])
    }

    @Test func readsMultipleDocumentsCountingAcrossThem() throws {
        let text = """
            kind: Node
            metadata: {name: first}
            ---
            ---
            items:
            - kind: ConfigMap
              metadata: {name: cm}
            kind: List
            ---
            kind: Node
            metadata:
              name: last
              labels:
                port: &p 1_1_x2
                mirror: *p
            """
        let document = try read(text)
        #expect(document.nodes.map(\.name) == ["first", "last"])
        #expect(document.nodes.last?.labels == ["port": "1_1_x2", "mirror": "1_1_x2"])
        #expect(document.skipped == [.init(index: 1, name: "cm", reason: "a ConfigMap, not a Node")])
    }

    @Test(arguments: [
        ("kind: Node\nmetadata: {uid: x}\n", "the Node in document 1 has no metadata.name"),
        ("kind: NodeList\nitems: {}\n", "the NodeList has no items sequence"),
        ("metadata: {}\n", "expected a Node, NodeList or List, found a mapping without kind"),
        ("kind: Pod\nmetadata: {name: p}\n", "expected a Node, NodeList or List, found kind Pod"),
        ("- a\n- b\n", "document 1 is not a mapping"),
        ("kind: Node\nmetadata: {name: a}\n---\n[]\n", "document 2 is not a mapping"),
        ("kind: List\nitems: []\n", "the input holds no Node, NodeList or List"),
        ("---\n...\n", "the input holds no Node, NodeList or List"),
        ("kind: Node\nmetadata: [unclosed\n", "invalid YAML: while parsing a flow sequence at line 2, column 11;"),
        ("kind: Node\nmetadata:\n  name: a\n  name: b\n", "invalid YAML: found duplicate key name in a mapping at line 4, column 3"),
        ("kind: List\nitems:\n- *somewhere\n", "invalid YAML: alias *somewhere stands for a node"),
        // An anchor holds within its own document only.
        ("kind: Node\nmetadata: {name: a, labels: &l {sensor: \"true\"}}\n---\nkind: Node\nmetadata: {name: b, labels: *l}\n",
         "invalid YAML: alias *l stands for a node"),
    ])
    func explainsWhatIsWrong(text: String, message: String) {
        let description = failure(text)
        #expect(description?.hasPrefix(message) == true, "\(description ?? "no error")")
    }

    @Test func anAliasToAnAnchoredLabelMapInTheSameDocumentReadsItsLabels() throws {
        let text = "kind: List\nitems:\n- kind: Node\n  metadata: {name: a, labels: &l {sensor: \"true\", port: 1_1_x1}}\n"
            + "- kind: Node\n  metadata: {name: b, labels: *l}\n"
        let document = try NodeYAML.readDocuments(Array(text.utf8))
        #expect(document.nodes.map(\.name) == ["a", "b"])
        #expect(document.nodes.map(\.labels) == Array(repeating: ["sensor": "true", "port": "1_1_x1"], count: 2))
    }

    @Test func nonUTF8IsNeitherJSONNorYAML() throws {
        let error = #expect(throws: NodeFileDecoder.DecodeError.self) { try NodeYAML.readDocuments([0x6B, 0x3A, 0x20, 0xFF, 0x0A]) }
        #expect(error?.description.hasPrefix("the input is neither JSON nor UTF-8 YAML") == true)
    }

    @Test func aReadFailureComesBackAsItWasThrown() throws {
        struct DiskOnFire: Error {}
        #expect(throws: DiskOnFire.self) {
            var calls = 0
            _ = try NodeYAML.readDocuments { buffer in
                calls += 1
                guard calls == 1 else { throw DiskOnFire() }
                buffer.copyBytes(from: "kind: List\nitems:\n".utf8)
                return 18
            }
        }
    }

    /// 128 MiB of nodes (each with 16 KiB of status, as kubelet fills it) generated as the parser
    /// asks: a reader that held the document, or even one node list's worth of text, would grow by
    /// hundreds of MiB; the streaming reader's resident memory stays within a few MiB of where it
    /// started. Measured by sampling this process's resident set while the input is read, not by time.
    @Test func memoryDoesNotGrowWithTheInput() throws {
        let status = "  status:\n    images:\n" + String(repeating: "    - names: [registry.example.org/team/app:v1.2.3]\n      sizeBytes: 100007919\n", count: 200)
        let nodes = 128 << 20 / (status.utf8.count + 120)
        var produced = 0
        var pending: ArraySlice<UInt8> = Array("apiVersion: v1\nkind: List\nitems:\n".utf8)[...]
        let baseline = Self.residentBytes()
        var peak = baseline
        let document = try NodeYAML.readDocuments { buffer in
            if pending.isEmpty && produced < nodes {
                pending = Array("- kind: Node\n  metadata:\n    name: node-\(produced)\n    labels: {port: 1_1_x\(produced % 64 + 1)}\n\(status)".utf8)[...]
                produced += 1
                if produced % 1024 == 0 { peak = max(peak, Self.residentBytes()) }
            }
            let count = min(buffer.count, pending.count)
            buffer.copyBytes(from: pending.prefix(count))
            pending = pending.dropFirst(count)
            return count
        }
        #expect(document.nodes.count == nodes)
        #expect(nodes * status.utf8.count > 120 << 20)
        #expect(peak - baseline < 32 << 20, "resident set grew by \((peak - baseline) >> 20) MiB")
    }

    /// This process's resident set, from /proc/self/statm (pages).
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
