import Testing
@testable import KubeAPI

/// The sink resumes `send`'s continuation exactly once, whichever of result and cancellation
/// comes first, and a stream's sink ends the stream once.
@Suite struct CurlTransferSinkTests {
    @Test func cancellationBeforeWaitingResumesWithCancelledAndStartsNothing() async {
        let sink = CurlTransferSink(stream: nil)
        sink.cancel()
        #expect(sink.isClosed)
        let result = await withCheckedContinuation { continuation in
            #expect(!sink.wait(continuation))
        }
        #expect(result == .failure(.cancelled))
    }

    @Test func theFirstOutcomeWinsAndLaterOnesAreDropped() async {
        let sink = CurlTransferSink(stream: nil)
        let result = await withCheckedContinuation { continuation in
            #expect(sink.wait(continuation))
            sink.cancel()
            sink.deliver(KubeResponse(status: 200))
            sink.fail(.transport(operation: "GET /", reason: "late"))
        }
        #expect(result == .failure(.cancelled))
    }

    @Test func aStreamSinkEndsTheStreamOnceAndReportsAGoneConsumer() async throws {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: KubeStreamPart.self)
        let sink = CurlTransferSink(stream: continuation)
        #expect(sink.isStream)
        #expect(sink.yield(.head(status: 200, headers: [:])))
        sink.finishStream()
        sink.fail(.transport(operation: "GET /w", reason: "late"))
        #expect(!sink.yield(.body([1])), "after the end nothing more is taken")
        var parts: [KubeStreamPart] = []
        for try await part in stream { parts.append(part) }
        #expect(parts == [.head(status: 200, headers: [:])])
    }
}
