import Foundation
import Logging
import Testing
@testable import KubeAPI

/// The watch path is bounded (issue 13): a consumer that lags pauses the transfer
/// (`CURL_WRITEFUNC_PAUSE`) instead of buffering what the server sends, and resumes it when it reads
/// again. The server here writes 64 MiB as fast as the client takes it.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportBackpressureTests {
    static let pieceSize = 64 * 1024
    static let pieces = 1024
    static var total: Int { pieceSize * pieces }

    /// Resident memory of this process, from `/proc/self/statm`.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func aStreamWhoseConsumerLagsHoldsTheServerBackAndKeepsMemoryFlat() async throws {
        let server = try ScriptedHTTPServer(always: .flood(piece: [UInt8](repeating: 0x78, count: Self.pieceSize),
                                                           count: Self.pieces))
        defer { server.stop() }
        let transport = try server.transport()
        let before = Self.residentBytes()
        var parts = transport.stream(KubeRequest(path: "/api/v1/nodes?watch=1", timeout: nil)).makeAsyncIterator()
        guard case .head(200, _)? = try await parts.next() else { Issue.record("no head"); return }
        var received = 0
        if case .body(let bytes)? = try await parts.next() { received += bytes.count }
        // The consumer stops reading: the server must stall long before it has written everything.
        let wroteAll = await server.wait(atMost: .seconds(2)) { $0.bodyBytesWritten >= Self.total }
        #expect(!wroteAll, "the client kept taking bytes nobody read")
        #expect(server.bodyBytesWritten < 24 * 1024 * 1024)
        #expect(Self.residentBytes() - before < 32 * 1024 * 1024, "memory grew with what the server sent")
        // Reading again resumes the transfer: every byte arrives.
        while let part = try await parts.next() {
            if case .body(let bytes) = part { received += bytes.count }
        }
        #expect(received == Self.total)
    }

    @Test func aWatchWhoseConsumerLagsHoldsTheServerBack() async throws {
        let line = Array(#"{"type":"BOOKMARK","object":{"kind":"PartialObjectMetadata","metadata":{"resourceVersion":"7"}}}"#.utf8) + [10]
        let piece = Array((0..<(Self.pieceSize / line.count)).map { _ in line }.joined())
        let server = try ScriptedHTTPServer(always: .flood(piece: piece, count: Self.pieces))
        defer { server.stop() }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let client = KubeClient(transport: try server.transport(), logger: logger)
        var events = client.watch(.nodes, as: NodeCodec.self, from: "1", timeoutSeconds: 60).makeAsyncIterator()
        #expect(try await events.next() == .bookmark(resourceVersion: "7", initialEventsEnd: false))
        let wroteAll = await server.wait(atMost: .seconds(2)) { $0.bodyBytesWritten >= piece.count * Self.pieces }
        #expect(!wroteAll, "the watch decoded ahead of its consumer without bound")
        var count = 1
        while try await events.next() != nil { count += 1 }
        #expect(count == Self.pieces * (Self.pieceSize / line.count))
    }
}
