import Foundation
@testable import HTTPServerCore

/// Captured requests under `Fixtures/` next to this file, found from this file's path so the
/// tests work wherever the folder is moved.
enum HTTPFixtures {
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appending(path: name)))
    }
}

/// SplitMix64: a tiny seeded generator so property loops are reproducible without a dependency.
struct HTTPTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Drives a parser the way the socket server does: append a chunk, drain events, repeat.
enum HTTPTestFeed {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Every event except `.needMoreData`, after appending each chunk and calling `next()` until
    /// it waits or fails. Feeding stops at the first error.
    static func events(_ chunks: [[UInt8]], configuration: HTTPRequestParser.Configuration = .init()) -> [HTTPParseEvent] {
        var parser = HTTPRequestParser(configuration: configuration)
        var events: [HTTPParseEvent] = []
        for chunk in chunks {
            parser.append(chunk)
            while true {
                let event = parser.next()
                if event == .needMoreData { break }
                events.append(event)
                if case .error = event { return events }
            }
        }
        return events
    }

    /// Requests and errors only: what must not depend on how the bytes were split
    /// (`.expectContinue` does, since it is only sent while the body is missing).
    static func outcomes(_ chunks: [[UInt8]], configuration: HTTPRequestParser.Configuration = .init()) -> [HTTPParseEvent] {
        events(chunks, configuration: configuration).filter { $0 != .expectContinue }
    }

    /// `bytes` as two chunks cut at `offset`.
    static func split(_ bytes: [UInt8], at offset: Int) -> [[UInt8]] {
        [Array(bytes[..<offset]), Array(bytes[offset...])]
    }

    /// `bytes` one byte per chunk.
    static func byteByByte(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.map { [$0] }
    }

    /// The request of a single-event outcome, or nil.
    static func request(_ events: [HTTPParseEvent]) -> HTTPRequest? {
        guard events.count == 1, case .request(let request) = events[0] else { return nil }
        return request
    }

    /// The error status of an outcome ending in an error, or nil.
    static func errorStatus(_ events: [HTTPParseEvent]) -> Int? {
        guard case .error(let error) = events.last else { return nil }
        return error.status
    }
}
