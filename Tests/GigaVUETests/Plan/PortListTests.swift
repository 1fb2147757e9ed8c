import GigaVUE
import Testing
import TroxileiaCore

/// Ports from CLI text, for expectations (`PortList` itself is under test here, so this uses TapPort).
func cliPorts(_ names: String...) throws -> [TapPort] {
    try names.map { name throws(TapPortSyntaxError) in try TapPort(cli: name) }
}

@Suite struct PortListTests {
    @Test(arguments: [
        ("1/1/x1", ["1/1/x1"]),
        ("1/1/x1..x4,1/1/x7", ["1/1/x1", "1/1/x2", "1/1/x3", "1/1/x4", "1/1/x7"]),
        ("1/1/x3..1/1/x4", ["1/1/x3", "1/1/x4"]),
        ("2/1/c1x1..c1x4", ["2/1/c1x1", "2/1/c1x2", "2/1/c1x3", "2/1/c1x4"]),
        ("1/1/x2,1/1/x1,1/1/x2", ["1/1/x1", "1/1/x2"]),
        ("1_1_x1..x2,12/3/q4", ["1/1/x1", "1/1/x2", "12/3/q4"]),
        ("1/1/x5..x5", ["1/1/x5"]),
    ])
    func expandsRangesSortedAndUnique(text: String, expected: [String]) throws {
        #expect(try PortList.parse(text, limit: 100).map(\.cliName) == expected)
    }

    @Test(arguments: [
        ("", "empty"), ("1/1/x1,,1/1/x2", "empty"), ("1/1/x1,", "empty"),
        ("1/1/x4..x1", "end comes before the start"),
        ("1/1/x1..q4", "same port letter"), ("1/1/x1..1/2/x4", "same box and slot"),
        ("2/1/c1x1..c2x4", "breakouts of one port"), ("2/1/c1..c1x4", "breakouts of one port"),
        ("1/1/x1..x2..x3", "one \"..\""), ("1/1/e1", "GigaSMART"), ("1/1/x1..x200", "out of range"),
        ("1/1/x1..", "missing"),
    ])
    func refusesBadElements(text: String, reason: String) {
        let error = #expect(throws: TapError.self) {
            _ = try PortList.parse(text, limit: 100)
        }
        #expect(error.map { "\($0)".contains(reason) } == true, "\(String(describing: error))")
    }

    @Test func stopsAtTheLimitWhileExpanding() {
        #expect(throws: TapError.invalidPortList(.tooManyPorts(limit: 10))) {
            _ = try PortList.parse("1/1/x1..x128", limit: 10)
        }
    }

    @Test func lenientParsingKeepsGoodElementsAndNamesBadOnes() throws {
        let read = PortList.parseLeniently("1/1/x1,1/1/e1,1/1/x3..x2,1/1/x2", limit: 100)
        #expect(read.ports == (try cliPorts("1/1/x1", "1/1/x2")))
        #expect(read.rejected.map(\.element) == ["1/1/e1", "1/1/x3..x2"])
    }

    @Test func lenientParsingIsBounded() {
        let read = PortList.parseLeniently("1/1/x1..x128,1/2/x1..x128", limit: 200)
        #expect(read.ports.count == 200)
        #expect(read.rejected.map(\.problem) == [.tooManyPorts(limit: 200)])
    }

    @Test func writesTheDeviceForm() throws {
        #expect(PortList.cliText(try cliPorts("1/1/x2", "1/1/x1", "1/1/x2", "1/1/q1x2")) == "1/1/x1,1/1/x2,1/1/q1x2")
        #expect(PortList.cliText([]) == "")
    }
}
