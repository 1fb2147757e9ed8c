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
/// Backpressure: a stream buffers without limit. Watch bodies are small events that the
/// reflector consumes as they come, and the API server does not send faster than events happen,
/// so the buffer stays small; pausing the transfer would need a consumption signal that
/// `AsyncThrowingStream` does not give. Whole responses (`send`) are capped by `maxResponseBytes`.
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
    /// cancelling the consuming task aborts the transfer.
    public func stream(_ request: KubeRequest) -> AsyncThrowingStream<KubeStreamPart, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: KubeStreamPart.self, throwing: (any Error).self,
                                                                    bufferingPolicy: .unbounded)
        let operation = Self.operation(for: request)
        let sink = CurlTransferSink(stream: continuation)
        let loop = self.loop
        // The stream holds the transport (and so its thread) until it ends; its end breaks the cycle.
        guard let provider = configuration.bearerToken else {
            continuation.onTermination = { _ in
                withExtendedLifetime(self) {
                    sink.cancel()
                    loop.cancel(sink)
                }
            }
            loop.submit(CurlTransferJob(request: request, operation: operation, token: nil, sink: sink))
            return stream
        }
        // The token provider is async, so reading it needs a task; the transfer starts when it is
        // read. Should the transfer end before `onTermination` below is set, the handler is never
        // needed, and the stream drops it when the consumer lets go of the stream.
        let task = Task {
            do throws(KubeAPIError) {
                let token = try await Self.token(from: provider, operation: operation)
                loop.submit(CurlTransferJob(request: request, operation: operation, token: token, sink: sink))
            } catch {
                sink.fail(error)
            }
        }
        continuation.onTermination = { _ in
            withExtendedLifetime(self) {
                task.cancel()
                sink.cancel()
                loop.cancel(sink)
            }
        }
        return stream
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
