/// One request to the Kubernetes API.
public struct KubeRequest: Sendable, Equatable {
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    }

    public var method: Method
    /// Absolute path with its query, already percent-encoded: `/api/v1/nodes?limit=500`.
    public var path: String
    /// The `Accept` header (metadata-only lists and watches use the `as=PartialObjectMetadata…` forms).
    public var accept: String
    /// The `Content-Type` of `body` (`application/json`, `application/merge-patch+json`).
    public var contentType: String?
    public var body: [UInt8]?
    /// Limit for the whole exchange; `nil` for watch streams, which end by the server's
    /// `timeoutSeconds` or the client's inactivity check instead.
    public var timeout: Duration?

    public init(method: Method = .get, path: String, accept: String = "application/json", contentType: String? = nil,
                body: [UInt8]? = nil, timeout: Duration? = .seconds(30)) {
        self.method = method
        self.path = path
        self.accept = accept
        self.contentType = contentType
        self.body = body
        self.timeout = timeout
    }
}

/// A complete response.
public struct KubeResponse: Sendable, Equatable {
    /// HTTP status code.
    public var status: Int
    /// Header fields by lower-cased name (the last value of a repeated field).
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A piece of a streamed response (a watch).
public enum KubeStreamPart: Sendable, Equatable {
    /// The status line and headers, first and once.
    case head(status: Int, headers: [String: String])
    /// Body bytes as they arrive (chunked framing already removed), in order, of any size.
    case body([UInt8])
}

/// Moves requests to the API server and back. The libcurl implementation runs every blocking
/// call on a thread it owns; tests may substitute nothing else (they talk to a real server).
public protocol KubeTransport: Sendable {
    /// Sends `request` and returns the whole response, whatever its status code.
    /// - Throws: `KubeAPIError.transport` when no HTTP answer arrived (refused, TLS, timeout,
    ///   response larger than the transport's limit); `.cancelled` if the task was cancelled.
    func send(_ request: KubeRequest) async throws(KubeAPIError) -> KubeResponse

    /// Starts a streaming GET: `.head` first, then `.body` parts until the server ends the
    /// response (the stream finishes) or the transfer fails (the stream throws a
    /// `KubeAPIError`). Ending the iteration or cancelling the consuming task stops the transfer.
    func stream(_ request: KubeRequest) -> AsyncThrowingStream<KubeStreamPart, any Error>
}
