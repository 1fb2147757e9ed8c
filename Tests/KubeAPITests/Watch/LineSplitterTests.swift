import Testing
@testable import KubeAPI

@Suite struct LineSplitterTests {
    private func lines(of bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    /// The initial-events watch arrived in 2048-byte chunks that split objects; any split works.
    @Test(arguments: ["watch/nodes-watch-initial-events.json", "watch/nodes-watch.json", "metadata/nodes-watch-metadata.ndjson"])
    func splitsAtEveryByteOffsetTheSameWay(fixture: String) throws {
        let stream = try KubeFixtures.bytes(fixture)
        let expected = lines(of: stream + [UInt8(ascii: "\n")])
        for offset in 0...stream.count {
            var splitter = LineSplitter()
            var got = try splitter.append(Array(stream[..<offset]))
            got += try splitter.append(Array(stream[offset...]) + [UInt8(ascii: "\n")])
            #expect(got == expected, "split at \(offset)")
            if got != expected { return }
        }
    }

    @Test func handlesByteByByteDeliveryAndCRLF() throws {
        var splitter = LineSplitter()
        var got: [[UInt8]] = []
        for byte in Array("{\"a\":1}\r\n\n{\"b\":2}\n{\"c\"".utf8) { got += try splitter.append([byte]) }
        #expect(got == [Array("{\"a\":1}".utf8), Array("{\"b\":2}".utf8)])
        #expect(splitter.bufferedByteCount == 4)
    }

    @Test func refusesAnEndlessLine() throws {
        var splitter = LineSplitter(maxLineBytes: 100)
        _ = try splitter.append(Array(repeating: UInt8(ascii: "x"), count: 60))
        #expect(throws: KubeAPIError.self) { _ = try splitter.append(Array(repeating: UInt8(ascii: "x"), count: 60)) }
    }
}
