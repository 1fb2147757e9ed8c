import Testing
import TroxileiaCore

@Suite struct NodeJSONTests {
    private func read(_ text: String) throws(NodeDocumentError) -> NodeDocument {
        try NodeJSON.readDocument(Array(text.utf8))
    }

    @Test func readsTheAPIsNodeListWhoseItemsHaveNoKind() throws {
        let document = try NodeJSON.readDocument(try Fixtures.bytes("nodes-list.json"))
        #expect(document.nodes.map(\.name) == ["sensor-01", "sensor-02", "worker-01"])
        #expect(document.nodes[0].labels["port"] == "1_1_x1")
        #expect(document.nodes[0].uid == "49b83d79-a79b-4f6e-9805-9bc0bf1cf301")
        #expect(document.nodes[2].labels["sensor"] == "false")
        #expect(document.skipped.isEmpty)
    }

    @Test func readsKubectlsPrettyPrintedList() throws {
        let document = try NodeJSON.readDocument(try Fixtures.bytes("kubectl-get-nodes-o-json.json"))
        #expect(document.nodes.map(\.name) == ["sensor-02", "sensor-04"])
        #expect(document.nodes.allSatisfy { $0.labels["port"] == "1_1_x3" })
    }

    @Test func readsAMetadataOnlyList() throws {
        let document = try NodeJSON.readDocument(try Fixtures.bytes("nodes-list-metadata.json"))
        #expect(!document.nodes.isEmpty)
        #expect(document.skipped.isEmpty)
    }

    @Test func readsASingleNodeWithAnnotationsAndDeletion() throws {
        let document = try read(#"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"n","annotations":{"troxileia.io/exclude":"true"},
             "labels":null,"deletionTimestamp":"2026-11-23T10:00:00Z"},"status":{"images":[{"names":["x"]}]}}
            """#)
        #expect(document.nodes == [NodeRecord(name: "n", annotations: ["troxileia.io/exclude": "true"], isTerminating: true)])
    }

    @Test func readsABareArrayAndSkipsWhatIsNotANode() throws {
        let document = try read(#"""
            [{"kind":"Node","metadata":{"name":"a"}}, {"kind":"Pod","metadata":{"name":"p"}}, {"metadata":{}}, 7]
            """#)
        #expect(document.nodes.map(\.name) == ["a"])
        #expect(document.skipped == [
            .init(index: 1, name: "p", reason: "a Pod, not a Node"),
            .init(index: 2, name: nil, reason: "no metadata.name"),
            .init(index: 3, name: nil, reason: "not an object"),
        ])
    }

    @Test(arguments: [
        (#"{"kind":"Pod","metadata":{"name":"p"}}"#, NodeDocumentError.notNodes(kind: "Pod")),
        (#"{"kind":"NodeList","metadata":{}}"#, .notNodes(kind: "NodeList")),
        (#"{"metadata":{"name":"x"}}"#, .notNodes(kind: nil)),
        (#"{"kind":"Node","metadata":{}}"#, .nodeWithoutName),
    ])
    func rejectsDocumentsWithoutNodes(text: String, expected: NodeDocumentError) {
        #expect(throws: expected) { try read(text) }
    }

    @Test func reportsMalformedJSON() {
        #expect(throws: NodeDocumentError.malformed(JSONSkimError(offset: 34, problem: "unexpected end of input"))) {
            try read(#"{"kind":"NodeList","items":[{"a":1"#)
        }
    }
}
