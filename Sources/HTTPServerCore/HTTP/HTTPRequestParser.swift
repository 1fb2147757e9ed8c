/// A strict, incremental HTTP/1.1 request parser for one connection.
///
/// Feed it the bytes read from the socket with `append(_:)`, then call ``next()`` until it returns
/// `.needMoreData` (read again) or `.error` (answer and close). Requests come out one after
/// another, so pipelined requests in one read are all returned. The parser never crashes on
/// input: every byte sequence gives a request, a wait, or a typed ``HTTPParseError``.
///
/// Memory is bounded by the configuration: an unterminated header section is refused at
/// `maxHeaderBytes`, a declared body above `maxBodyBytes` is refused before it is read, bytes
/// appended after an error are dropped, and consumed bytes are compacted away so a long
/// keep-alive connection does not grow. Bodies must be framed by `Content-Length`; any
/// `Transfer-Encoding` is refused with 411. Value type, not shared: one parser per connection,
/// used from one thread at a time.
public struct HTTPRequestParser: Sendable {
    /// Limits for one connection's requests.
    public struct Configuration: Sendable {
        /// Largest header section accepted (request line, header lines and the final CRLF), in
        /// bytes. Default 16 KiB: Node.js's default and the order of nginx (4 × 8 KiB buffers)
        /// and Apache (8 KiB per line), far above the ~200 bytes kube-apiserver sends. Larger
        /// sections get 431 (RFC 6585 §5).
        public var maxHeaderBytes: Int
        /// Largest body accepted, in bytes. Default 7 MiB: kube-apiserver refuses request bodies
        /// above 3 MiB, and the AdmissionReview of an UPDATE carries both object and oldObject,
        /// so 2 × 3 MiB plus the review envelope fits comfortably. A larger declared
        /// Content-Length gets 413 before any body byte is read.
        public var maxBodyBytes: Int

        /// Creates limits; the defaults suit an admission webhook. Zero or negative limits are
        /// allowed and refuse every non-empty header section or every body respectively.
        public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 7 * 1024 * 1024) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// Where the parser is in the current request.
    enum Phase: Sendable {
        /// Reading the request line and header lines.
        case head
        /// Head parsed and accepted; waiting for `contentLength` body bytes.
        case body(contentLength: Int, continuePending: Bool)
        /// Refused; the connection must close.
        case failed(HTTPParseError)
    }

    /// A capacity kept after a request is consumed, so small requests reuse one allocation
    /// while a connection that once carried a multi-MiB body does not keep it while idle.
    static let retainedCapacity = 64 * 1024

    /// The limits this parser enforces.
    public let configuration: Configuration
    /// Bytes received and not yet consumed start at `readIndex`.
    var buffer: [UInt8] = []
    /// Offset in `buffer` of the first unconsumed byte; head offsets are relative to it.
    var readIndex = 0
    /// The current request's phase; `.failed` is final.
    var phase = Phase.head
    /// Progress through the current request's head, and the request once its line is parsed.
    var head = HeadProgress()
    /// How many buffered bytes the head scan has looked at, in total; tests use it to prove
    /// the scan is linear however the bytes are split.
    var bytesExamined = 0

    /// Creates a parser for a new connection.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Adds bytes read from the socket. Bytes are copied; after an error they are dropped,
    /// because the connection is about to close and must not make the parser grow.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard prepareForAppend() else { return }
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes read from the socket; same contract as the raw-buffer variant.
    public mutating func append(_ bytes: [UInt8]) {
        guard prepareForAppend() else { return }
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next event from the buffered bytes; see ``HTTPParseEvent`` for what to do with
    /// each. Call it after every `append` until it returns `.needMoreData` or `.error`. After an
    /// error every call returns the same error.
    public mutating func next() -> HTTPParseEvent {
        switch phase {
        case .failed(let error):
            return .error(error)
        case .body:
            return readBody()
        case .head:
            switch scanHead() {
            case .incomplete:
                return .needMoreData
            case .failure(let error):
                return fail(error)
            case .complete(let headLength):
                guard let request = head.request else { return fail(.malformedRequestLine) }
                switch Self.framing(of: request, configuration: configuration) {
                case .failure(let error):
                    return fail(error)
                case .success(let framing):
                    readIndex += headLength
                    phase = .body(contentLength: framing.contentLength, continuePending: framing.expectsContinue)
                    return readBody()
                }
            }
        }
    }

    /// True while part of a request is buffered or a request's body is still awaited: the
    /// connection is busy with a slow request, not idle between keep-alive requests. False after
    /// an error.
    public var hasBufferedBytes: Bool {
        switch phase {
        case .failed: return false
        case .body: return true
        case .head: return readIndex < buffer.count
        }
    }

    /// True between requests: nothing buffered, nothing awaited, not failed. A server applies
    /// its keep-alive idle timeout in this state and its request timeout otherwise.
    public var isIdle: Bool {
        if case .head = phase { return readIndex == buffer.count }
        return false
    }

    /// The number of bytes appended and not yet consumed by a returned request (or a parsed
    /// head); zero after an error. Bounded by the limits when `next()` is called after each append.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Parses `bytes` as everything a connection sent: returns every event until the first
    /// `.needMoreData` or `.error`, which is included last. For fuzz targets and tests.
    public static func parseAll(_ bytes: [UInt8], configuration: Configuration = .init()) -> [HTTPParseEvent] {
        var parser = HTTPRequestParser(configuration: configuration)
        parser.append(bytes)
        var events: [HTTPParseEvent] = []
        while true {
            let event = parser.next()
            events.append(event)
            switch event {
            case .needMoreData, .error: return events
            case .request, .expectContinue: continue
            }
        }
    }

    /// Returns the request once its body is buffered, else `.expectContinue` once if the client
    /// asked for it, else `.needMoreData`.
    private mutating func readBody() -> HTTPParseEvent {
        guard case .body(let length, let continuePending) = phase, var request = head.request else {
            return .needMoreData
        }
        if buffer.count - readIndex >= length {
            request.body = Array(buffer[readIndex..<(readIndex + length)])
            readIndex += length
            head = HeadProgress()
            phase = .head
            if readIndex == buffer.count { releaseBuffer() }
            return .request(request)
        }
        guard continuePending else { return .needMoreData }
        phase = .body(contentLength: length, continuePending: false)
        return .expectContinue
    }

    /// Enters the failed state for good and frees the buffer.
    private mutating func fail(_ error: HTTPParseError) -> HTTPParseEvent {
        phase = .failed(error)
        buffer = []
        readIndex = 0
        head = HeadProgress()
        return .error(error)
    }

    /// Drops consumed bytes before more are appended; false when the parser has failed.
    /// Moves the unconsumed tail only when it is no longer than the consumed part, so the
    /// copying is paid for by bytes already consumed (amortised linear).
    private mutating func prepareForAppend() -> Bool {
        if case .failed = phase { return false }
        if readIndex == buffer.count {
            releaseBuffer()
        } else if readIndex > 0 && readIndex >= buffer.count - readIndex {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        return true
    }

    /// Empties the buffer, keeping a small allocation for the next request.
    private mutating func releaseBuffer() {
        if buffer.capacity > Self.retainedCapacity {
            buffer = []
        } else {
            buffer.removeAll(keepingCapacity: true)
        }
        readIndex = 0
    }
}
