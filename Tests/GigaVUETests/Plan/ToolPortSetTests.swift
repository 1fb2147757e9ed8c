import GigaVUE
import Testing
import TroxileiaCore

@Suite struct ToolPortSetTests {
    @Test func parsesTheDocumentedExample() throws {
        let set = try ToolPortSet(parsing: "1/1/x1..x24,1/2/q1..q4,2/1/c1x1..c1x4")
        #expect(set.count == 32)
        #expect(set.contains(try TapPort(cli: "1/1/x24")))
        #expect(set.contains(try TapPort(cli: "2/1/c1x3")))
        #expect(!set.contains(try TapPort(cli: "1/1/x25")))
        #expect(!set.contains(try TapPort(cli: "1/2/q1x1")))
    }

    @Test(arguments: ["1_1_x1..x24", " 1/1/x1..x24 ", "1/1/x1..x12, 1/1/x13..x24"])
    func acceptsLabelFormAndSpaces(text: String) throws {
        let set = try ToolPortSet(parsing: text)
        #expect(set.count == 24)
        #expect(set.contains(try TapPort(cli: "1/1/x13")))
    }

    @Test(arguments: [
        ("", "empty"), (",", "empty"), ("1/1/x4..x1", "end comes before the start"),
        ("1/1/x1..2/1/x4", "same box and slot"), ("1/1/x1..g4", "same port letter"),
        ("1/1/X1", "lower case"), ("1/1/e1..e4", "GigaSMART"), ("x1..x4", "three parts"),
        ("1/1/x1;1/1/x2", "cannot appear"),
    ])
    func explainsBadValues(text: String, reason: String) {
        let error = #expect(throws: TapError.self) {
            _ = try ToolPortSet(parsing: text)
        }
        #expect(error.map { "\($0)".contains(reason) } == true, "\(String(describing: error))")
    }

    @Test func isBounded() {
        // 255 boxes × 32 slots × 128 ports would be over a million: refused at the cap.
        let huge = (1...100).map { "\($0)/1/x1..x128" }.joined(separator: ",")
        #expect(throws: TapError.invalidPortList(.tooManyPorts(limit: ToolPortSet.maximumCount))) {
            _ = try ToolPortSet(parsing: huge)
        }
    }

    @Test func describesItselfAsAPortList() throws {
        #expect(try ToolPortSet(parsing: "1/1/x2,1/1/x1").description == "1/1/x1,1/1/x2")
    }
}
