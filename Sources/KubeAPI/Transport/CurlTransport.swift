import TroxileiaCore

/// The Kubernetes API transport on libcurl.
///
/// Threading: one thread owned by the transport runs a libcurl multi loop; every libcurl call
/// happens there, never on the Swift concurrency pool. `send` and `stream` hand a job to that
/// thread through a mutex-guarded queue and `curl_multi_wakeup`, and get results back through a
/// checked continuation or an `AsyncThrowingStream`.
///
/// Connections: all transfers share the multi handle's connection cache, so sequential requests
/// reuse a keep-alive connection and concurrent ones multiplex over HTTP/2 when the server offers
/// it (kube-apiserver does). Redirects are not followed. Like client-go, libcurl honours the
/// `HTTPS_PROXY` and `NO_PROXY` environment variables.
///
/// Cancellation reaches libcurl: cancelling `send`'s task, or ending a stream's iteration,
/// removes the easy handle from the multi on the loop thread (an unfinished HTTP/1.1 response
/// closes its connection; an HTTP/2 stream is reset) and `send` returns `.cancelled` at once.
///
/// Backpressure: a stream's consumer reads from a bounded buffer (`CurlStreamBuffer`); when it
/// lags, the transfer is paused with `CURL_WRITEFUNC_PAUSE` and resumed once the consumer has
/// drained half of it, so a slow consumer holds the server back instead of growing memory
/// (issue 13). Whole responses (`send`) are capped by `maxResponseBytes`.
///
/// Lifetime: a stream keeps its transport alive until the stream ends. `shutdown()` (or the last
/// reference going away) fails every transfer in flight with `.transport`, ends the thread and
/// frees every libcurl handle.
public final class CurlTransport: KubeTransport {
    /// The settings this transport was made with.
    public let configuration: Configuration
    private let loop: CurlTransferLoop

    /// Checks `configuration`, initialises libcurl and starts the loop thread.
    /// - Throws: `KubeAPIError.configuration` for a bad server URL or a certificate without its key;
    ///   `.transport` when libcurl cannot be initialised.
    public init(configuration: Configuration) throws(KubeAPIError) {
        try configuration.validate()
        self.configuration = configuration
        do throws(CurlFailure) {
            loop = try CurlTransferLoop(configuration: configuration)
        } catch {
            throw .transport(operation: "initialise libcurl", reason: error.reason)
        }
        loop.start()
    }

    deinit {
        loop.stop()
    }

    /// Sends `request` and returns the whole response, whatever its status code; see `KubeTransport`.
    ///
    /// A 401 to a request that carried a token invalidates the token source
    /// (`Configuration.invalidateBearerToken`) and sends once more with a fresh token: a revoked or
    /// rotated credential is replaced at the first refusal (issue 13). The second answer is returned
    /// whatever it is, so a credential that stays refused surfaces as a 401.
    /// - Throws: `.transport` when no HTTP answer arrived or the body is over `maxResponseBytes`;
    ///   `.cancelled` at once when the task is cancelled (the transfer is aborted behind it);
    ///   the bearer token provider's `KubeAPIError`, if it throws one.
    public func send(_ request: KubeRequest) async throws(KubeAPIError) -> KubeResponse {
        let operation = Self.operation(for: request)
        let token = try await Self.token(from: configuration.bearerToken, operation: operation)
        let response = try await transfer(request, operation: operation, token: token)
        guard response.status == 401, token != nil, let invalidate = configuration.invalidateBearerToken else {
            return response
        }
        invalidate()
        let fresh = try await Self.token(from: configuration.bearerToken, operation: operation)
        return try await transfer(request, operation: operation, token: fresh)
    }

    /// One exchange of `request` with `token` on the loop thread.
    private func transfer(_ request: KubeRequest, operation: String,
                          token: SecretText?) async throws(KubeAPIError) -> KubeResponse {
        let sink = CurlTransferSink(stream: nil)
        let job = CurlTransferJob(request: request, operation: operation, token: token, sink: sink)
        let loop = self.loop
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<KubeResponse, KubeAPIError>, Never>) in
                if sink.wait(continuation) { loop.submit(job) }
            }
        } onCancel: {
            sink.cancel()
            loop.cancel(sink)
        }
        return try result.get()
    }

    /// Starts a streaming request; see `KubeTransport`. The stream throws `KubeAPIError`
    /// (`.transport` when the connection fails or drops mid-body). Ending the iteration or
    /// cancelling the consuming task aborts the transfer. At most about
    /// `Configuration.streamBufferBytes` wait for the consumer; past that the transfer is paused.
    public func stream(_ request: KubeRequest) -> AsyncThrowingStream<KubeStreamPart, any Error> {
        let operation = Self.operation(for: request)
        let buffer = CurlStreamBuffer(limit: configuration.streamBufferBytes)
        let sink = CurlTransferSink(stream: buffer)
        let loop = self.loop
        buffer.onResume { [weak sink] in if let sink { loop.resume(sink) } }
        let tokenTask: Task<Void, Never>?
        if let provider = configuration.bearerToken {
            // The token provider is async, so reading it needs a task; the transfer starts when it is
            // read. The task is cancelled with the stream.
            tokenTask = Task {
                do throws(KubeAPIError) {
                    let token = try await Self.token(from: provider, operation: operation)
                    loop.submit(CurlTransferJob(request: request, operation: operation, token: token, sink: sink))
                } catch {
                    sink.fail(error)
                }
            }
        } else {
            tokenTask = nil
            loop.submit(CurlTransferJob(request: request, operation: operation, token: nil, sink: sink))
        }
        // The lease holds the transport (and so its thread) until the stream is released.
        let lease = CurlStreamLease(transport: self, loop: loop, sink: sink, buffer: buffer, tokenTask: tokenTask)
        return AsyncThrowingStream(unfolding: { try await lease.next() })
    }

    /// Fails every transfer in flight with `.transport`, ends the loop thread and frees every
    /// libcurl handle; returns when that is done. Later requests fail with `.transport`.
    public func shutdown() async {
        loop.stop()
        await loop.waitUntilStopped()
    }

    /// `GET /api/v1/nodes`: the method and the path without its query, for error messages.
    static func operation(for request: KubeRequest) -> String {
        let path = request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return "\(request.method.rawValue) \(path)"
    }

    /// Reads the bearer token, mapping the provider's failure to a `KubeAPIError`.
    private static func token(from provider: (@Sendable () async throws -> SecretText?)?,
                              operation: String) async throws(KubeAPIError) -> SecretText? {
        guard let provider else { return nil }
        do {
            return try await provider()
        } catch let error as KubeAPIError {
            throw error
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .transport(operation: operation, reason: "could not get the bearer token: \(error)")
        }
    }
}

/// What a stream's iteration holds: the transport (so its loop thread lives as long as the stream),
/// the sink and its buffer. Released when the stream and its iterator are: then the transfer is
/// aborted, so a consumer that simply stops iterating does not leave a transfer running.
private final class CurlStreamLease: Sendable {
    private let transport: CurlTransport
    private let loop: CurlTransferLoop
    private let sink: CurlTransferSink
    private let buffer: CurlStreamBuffer
    private let tokenTask: Task<Void, Never>?

    init(transport: CurlTransport, loop: CurlTransferLoop, sink: CurlTransferSink, buffer: CurlStreamBuffer,
         tokenTask: Task<Void, Never>?) {
        self.transport = transport
        self.loop = loop
        self.sink = sink
        self.buffer = buffer
        self.tokenTask = tokenTask
    }

    deinit { abort() }

    /// The next part; cancelling the caller aborts the transfer.
    func next() async throws -> KubeStreamPart? {
        try await buffer.next { [self] in abort() }
    }

    private func abort() {
        tokenTask?.cancel()
        sink.cancel()
        loop.cancel(sink)
    }
}
