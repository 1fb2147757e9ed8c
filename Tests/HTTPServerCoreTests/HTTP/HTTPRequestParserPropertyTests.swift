import Testing
@testable import HTTPServerCore

/// Property-style loops with a fixed seed: whatever the bytes, the parser answers with a value
/// or a typed error, never crashes, and the answer does not depend on how bytes were split.
@Suite struct HTTPRequestParserPropertyTests {
    static let statuses: Set<Int> = [400, 411, 413, 431, 505]

    /// 10,000 buffers of uniformly random bytes: always a refusal (400, or 505 for a chance
    /// `HTTP/x.y`) or a wait for a plausible prefix, never a request.
    @Test func randomBinaryIsRefusedNeverCrashes() {
        var random = HTTPTestRandom(seed: 0x5EED_0001)
        for _ in 0..<10_000 {
            let count = Int.random(in: 1...256, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            let events = HTTPRequestParser.parseAll(bytes)
            switch events.last {
            case .error(let error): #expect(error.status == 400 || error.status == 505, "\(bytes)")
            case .needMoreData: #expect(HTTPSyntax.isTokenCharacter(bytes[0]) || bytes[0] == HTTPSyntax.cr, "\(bytes)")
            default: Issue.record("unexpected \(String(describing: events.last)) for \(bytes)")
            }
            #expect(!events.contains { if case .request = $0 { true } else { false } })
        }
    }

    /// Bytes drawn from HTTP's own alphabet reach deeper states; still only known statuses.
    @Test func randomHTTPLikeTextOnlyGivesKnownStatuses() {
        let alphabet = Array("GET POST / HTTP/1.1 HTTP/1.0\r\n\r\nHost: a\r\nContent-Length: 12\r\nExpect: 100-continue\r\n:\t \u{0}é".utf8)
        var random = HTTPTestRandom(seed: 0x5EED_0002)
        for _ in 0..<10_000 {
            let count = Int.random(in: 1...200, using: &random)
            let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            for event in HTTPRequestParser.parseAll(bytes, configuration: .init(maxHeaderBytes: 128, maxBodyBytes: 64)) {
                if case .error(let error) = event { #expect(Self.statuses.contains(error.status)) }
            }
        }
    }

    /// Valid requests with a few random edits: the outcome is the same in one chunk, byte by
    /// byte and cut at a random offset, and errors carry only known statuses.
    @Test func mutatedRequestsGiveTheSameOutcomeWhateverTheSplit() {
        var random = HTTPTestRandom(seed: 0x5EED_0003)
        let configuration = HTTPRequestParser.Configuration(maxHeaderBytes: 160, maxBodyBytes: 32)
        let seeds = HTTPRequestParserTests.samples.map(HTTPTestFeed.bytes)
        for _ in 0..<3_000 {
            var bytes = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            for _ in 0..<Int.random(in: 1...3, using: &random) { Self.mutate(&bytes, using: &random) }
            let whole = HTTPTestFeed.outcomes([bytes], configuration: configuration)
            #expect(HTTPTestFeed.outcomes(HTTPTestFeed.byteByByte(bytes), configuration: configuration) == whole)
            let offset = Int.random(in: 0...bytes.count, using: &random)
            #expect(HTTPTestFeed.outcomes(HTTPTestFeed.split(bytes, at: offset), configuration: configuration) == whole)
            if let status = HTTPTestFeed.errorStatus(whole) { #expect(Self.statuses.contains(status)) }
        }
    }

    /// One random edit: replace, insert or delete a byte, or duplicate a short run.
    private static func mutate(_ bytes: inout [UInt8], using random: inout HTTPTestRandom) {
        guard !bytes.isEmpty else { return }
        let index = Int.random(in: 0..<bytes.count, using: &random)
        let interesting: [UInt8] = [0x0D, 0x0A, 0x20, 0x09, 0x3A, 0x00, 0x2C, 0x30, 0x39, 0x7F, 0xFF]
        let byte = Bool.random(using: &random)
            ? interesting[Int.random(in: 0..<interesting.count, using: &random)]
            : UInt8.random(in: 0...255, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: bytes[index] = byte
        case 1: bytes.insert(byte, at: index)
        case 2: bytes.remove(at: index)
        default: bytes.insert(contentsOf: bytes[index..<min(index + 8, bytes.count)], at: index)
        }
    }
}
