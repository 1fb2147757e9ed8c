import Synchronization
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
        let buffer = CurlStreamBuffer(limit: 1024)
        let sink = CurlTransferSink(stream: buffer)
        #expect(sink.isStream)
        #expect(sink.yield(.head(status: 200, headers: [:])) == .taken)
        sink.finishStream()
        sink.fail(.transport(operation: "GET /w", reason: "late"))
        #expect(sink.yield(.body([1])) == .gone, "after the end nothing more is taken")
        var parts: [KubeStreamPart] = []
        while let part = try await buffer.next(onCancel: {}) { parts.append(part) }
        #expect(parts == [.head(status: 200, headers: [:])])
    }

    @Test func aFullStreamBufferRefusesUntilDrainedToHalfThenAsksToResume() async throws {
        let buffer = CurlStreamBuffer(limit: 4)
        let resumed = Resumptions()
        buffer.onResume { resumed.count() }
        #expect(buffer.offer(.head(status: 200, headers: [:])) == .taken)
        #expect(buffer.offer(.body([1, 2])) == .taken)
        #expect(buffer.offer(.body([3, 4])) == .taken)
        #expect(buffer.offer(.body([5])) == .full, "at the limit: pause, the bytes stay with libcurl")
        #expect(buffer.offer(.head(status: 200, headers: [:])) == .taken, "a head is always taken")
        #expect(buffer.bufferedBytes == 4)
        _ = try await buffer.next(onCancel: {})   // the head
        _ = try await buffer.next(onCancel: {})   // 2 bytes left: half the limit
        #expect(resumed.total == 1)
        _ = try await buffer.next(onCancel: {})
        #expect(resumed.total == 1, "resumed once per pause")
        #expect(buffer.offer(.body([5])) == .taken)
    }

    @Test func cancellingAWaitingConsumerEndsItAndReportsTheConsumerGone() async throws {
        let buffer = CurlStreamBuffer(limit: 4)
        let aborted = Resumptions()
        let task = Task { try await buffer.next(onCancel: { aborted.count() }) }
        task.cancel()
        await #expect(throws: KubeAPIError.cancelled) { try await task.value }
        #expect(aborted.total == 1)
        #expect(buffer.offer(.body([1])) == .gone)
    }
}

/// Counts calls from any thread.
private final class Resumptions: Sendable {
    private let value = Mutex(0)
    func count() { value.withLock { $0 += 1 } }
    var total: Int { value.withLock { $0 } }
}
