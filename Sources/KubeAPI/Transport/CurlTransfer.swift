internal import CCurl
import TroxileiaCore

/// What the caller hands to the loop thread to start one transfer.
struct CurlTransferJob: Sendable {
    /// The request as given to `send` or `stream`.
    var request: KubeRequest
    /// `METHOD /path` without the query, for error messages (never the URL's host part or a token).
    var operation: String
    /// The bearer token read for this request, if any; it becomes a header on the loop thread.
    var token: SecretText?
    /// Where the result goes.
    var sink: CurlTransferSink
}

/// One request in flight on the loop thread: its easy handle, the response as it arrives, and
/// where it goes. Not Sendable: lives on the loop thread only.
///
/// The head (status and headers) is taken from the last header block, so a `100 Continue` or
/// any other interim response is forgotten. `send` collects the body up to
/// `Configuration.maxResponseBytes`; a stream passes each piece on as it arrives.
final class CurlTransfer: CurlEasyHandleReceiver {
    /// The easy handle that carries this transfer; its callbacks come here.
    let handle: CurlEasyHandle
    /// Where the response goes.
    let sink: CurlTransferSink
    /// `METHOD /path`, for error messages.
    let operation: String
    private let maxResponseBytes: Int
    /// Called when a stream that carried a token is answered 401 (`Configuration.invalidateBearerToken`).
    private let unauthorized: (@Sendable () -> Void)?
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []
    private var receivedBytes = 0
    private var bodyStarted = false
    /// Our own reason for aborting the transfer from a callback (libcurl then reports a write error).
    private var abortReason: String?

    /// Makes and configures the easy handle for `job`.
    /// - Throws: `KubeAPIError.transport` when the request cannot be expressed (a header with a
    ///   line break) or libcurl refuses an option.
    init(job: CurlTransferJob, configuration: CurlTransport.Configuration) throws(KubeAPIError) {
        sink = job.sink
        operation = job.operation
        maxResponseBytes = configuration.maxResponseBytes
        unauthorized = job.sink.isStream && job.token != nil ? configuration.invalidateBearerToken : nil
        do throws(CurlFailure) {
            handle = try CurlEasyHandle()
            try CurlTransfer.configure(handle, for: job, configuration: configuration)
        } catch {
            throw KubeAPIError.transport(operation: job.operation, reason: error.reason)
        }
        handle.receiver = self
    }

    /// Collects the last header block's fields by lower-cased name; refuses a `Content-Length`
    /// over the limit for `send` before any body arrives.
    func receivedHeaderLine(_ line: UnsafeRawBufferPointer) -> Bool {
        // Trailers after a chunked body are not part of the head.
        guard !bodyStarted else { return true }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            headers = [:]   // a new block: the previous one was interim (100 Continue)
            return true
        }
        guard let colon = text.firstIndex(of: ":") else { return true }   // the blank end line
        let name = text[..<colon].lowercased()
        let value = CurlTransfer.trimmingHTTPWhitespace(text[text.index(after: colon)...])
        headers[name] = value
        if name == "content-length", !sink.isStream, let length = Int(value) {
            guard length <= maxResponseBytes else {
                abortReason = tooLargeReason
                return false
            }
            body.reserveCapacity(length)
        }
        return true
    }

    /// Streams: yields the head once, then the piece, or pauses while the consumer's buffer is full
    /// (libcurl hands the same piece again after `resume`). `send`: appends the piece within the limit.
    func receivedBody(_ bytes: UnsafeRawBufferPointer) -> CurlBodyAnswer {
        if sink.isStream {
            if !bodyStarted {
                bodyStarted = true
                guard yieldHead() else { return .abort }
            }
            switch sink.yield(.body(Array(bytes))) {
            case .taken: return .taken
            case .full: return .pause
            case .gone: return .abort
            }
        }
        bodyStarted = true
        receivedBytes += bytes.count
        guard receivedBytes <= maxResponseBytes else {
            abortReason = tooLargeReason
            return .abort
        }
        body.append(contentsOf: bytes)
        return .taken
    }

    /// libcurl has finished the transfer with `result`: deliver the response or the error.
    func finished(_ result: CURLcode) {
        guard result == CURLE_OK else {
            let reason = abortReason ?? handle.errorText(for: result)
            sink.fail(.transport(operation: operation, reason: reason))
            return
        }
        if sink.isStream {
            if !bodyStarted { _ = yieldHead() }
            sink.finishStream()
        } else {
            sink.deliver(KubeResponse(status: handle.responseCode, headers: headers, body: body))
        }
    }

    /// Hands a stream's head on; a 401 first drops the cached token, so the consumer's next attempt
    /// reads a fresh one.
    private func yieldHead() -> Bool {
        let status = handle.responseCode
        if status == 401 { unauthorized?() }
        return sink.yield(.head(status: status, headers: headers)) == .taken
    }

    private var tooLargeReason: String {
        "the response is larger than the limit of \(maxResponseBytes) bytes (maxResponseBytes)"
    }
}

extension CurlTransfer {
    /// `text` without leading and trailing spaces, tabs, CR and LF.
    static func trimmingHTTPWhitespace(_ text: Substring) -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = text.firstIndex(where: { !isWhitespace($0) }),
              let last = text.lastIndex(where: { !isWhitespace($0) }) else { return "" }
        return String(text[first...last])
    }
}
