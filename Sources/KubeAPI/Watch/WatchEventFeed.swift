/// Turns a watch response's stream parts into decoded events, one consumer call at a time: the
/// lines of each body part are decoded when the consumer asks, so nothing is read ahead of it
/// beyond one part (the transport's buffer bounds the rest).
///
/// `@unchecked Sendable`: the state is touched only inside `next()`, which its one consumer calls
/// serially (an `AsyncThrowingStream` iterator is single-consumer, and `unfolding` calls its closure
/// once per `next()`).
final class WatchEventFeed<Codec: ResourceCodec>: @unchecked Sendable {
    /// Error bodies kept at most (a Status is a few hundred bytes).
    private static var errorBodyLimit: Int { 64 * 1024 }

    private var parts: AsyncThrowingStream<KubeStreamPart, any Error>.AsyncIterator
    private var splitter = LineSplitter()
    private var pending: [WatchEvent<Codec.Value>] = []
    private var pendingIndex = 0
    private var errorStatus: Int?
    private var errorBody: [UInt8] = []
    private var ended = false

    /// A feed over the parts of one watch response.
    init(parts: AsyncThrowingStream<KubeStreamPart, any Error>) {
        self.parts = parts.makeAsyncIterator()
    }

    /// The next event; `nil` when the server ended the watch.
    /// - Throws: `KubeAPIError.status` for a non-200 answer (after its body), the transport's error,
    ///   a decoding error, or `.cancelled` when the consuming task was cancelled.
    func next() async throws -> WatchEvent<Codec.Value>? {
        do {
            while true {
                if pendingIndex < pending.count {
                    defer { pendingIndex += 1 }
                    return pending[pendingIndex]
                }
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                if ended { return nil }
                guard let part = try await parts.next() else {
                    ended = true
                    if let errorStatus {
                        throw KubeAPIError.status(KubeStatus.from(KubeResponse(status: errorStatus, body: errorBody)))
                    }
                    return nil
                }
                switch part {
                case .head(let status, _):
                    if status != 200 { errorStatus = status }
                case .body(let bytes) where errorStatus != nil:
                    if errorBody.count < Self.errorBodyLimit { errorBody += bytes }
                case .body(let bytes):
                    for line in try splitter.append(bytes) { pending.append(try WatchEvent.decode(line, as: Codec.self)) }
                }
            }
        } catch {
            ended = true
            throw Task.isCancelled ? KubeAPIError.cancelled : error
        }
    }
}
