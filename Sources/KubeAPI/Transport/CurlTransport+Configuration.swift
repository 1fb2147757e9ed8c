import TroxileiaCore

extension CurlTransport {
    /// How to reach one API server and how much to accept from it. Every default says why.
    public struct Configuration: Sendable {
        /// Base URL of the API server, `https://host:port`, possibly with a path prefix
        /// (`https://rancher/k8s/clusters/c-1`); request paths are appended. A trailing `/` is
        /// ignored. No default: it comes from the in-cluster environment or the kubeconfig.
        public var server: String
        /// Accept an `http://` server (default `false`: credentials must not travel in clear
        /// text; only tests and `kubectl proxy` on loopback use plain HTTP).
        public var allowPlainHTTP = false
        /// The CA that signs the server's certificate (default `nil`: the system trust store,
        /// for API servers with a public certificate). When set, only this CA is trusted.
        public var certificateAuthority: CertificateSource?
        /// Skip verification of the server's certificate and name (default `false`; kubeconfig
        /// `insecure-skip-tls-verify`, for throwaway clusters only).
        public var insecureSkipTLSVerify = false
        /// Client certificate for mutual TLS (default `nil`: authenticate by token or not at all).
        /// Files are read by libcurl for each new connection, so a rotated file is picked up.
        public var clientCertificate: CertificateSource?
        /// The client certificate's private key (default `nil`; set together with `clientCertificate`).
        public var clientKey: CertificateSource?
        /// Returns the bearer token; called once per request, so a rotated service-account token is
        /// picked up (default `nil`: no `Authorization` header). `nil` or an empty token sends none.
        /// Surrounding whitespace is trimmed. The token never appears in an error or a description.
        public var bearerToken: (@Sendable () async throws -> SecretText?)?
        /// Drops the token source's cache when the server answers 401 Unauthorized to a request that
        /// carried a token (default `nil`: nothing to drop; `TokenProvider.invalidate`, so a token file
        /// is re-read and an exec plugin run again). `send` then sends once more with a fresh token and
        /// returns that answer; a stream's 401 reaches its consumer, whose next attempt reads afresh
        /// (client-go's exec authenticator refreshes on 401 the same way). Called on any thread.
        public var invalidateBearerToken: (@Sendable () -> Void)?
        /// The `User-Agent` header (default `troxileia/<version>`: API server audit logs and
        /// metrics name the client by it).
        public var userAgent = "troxileia/\(TroxileiaVersion.current)"
        /// Limit for TCP connect and TLS handshake (default 10 s: an API server that does not answer
        /// within it is down or unreachable; client-go's dialer uses 30 s, we prefer to retry sooner).
        public var connectTimeout: Duration = .seconds(10)
        /// Largest body `send` accepts (default 256 MiB). A 5,000-node cluster's full node list is
        /// 68 MB of JSON (DESIGN.md), so this leaves room to grow while stopping a runaway response
        /// before it exhausts memory. A larger response fails with `.transport` and the transfer is
        /// aborted. Streams are bounded by `streamBufferBytes` instead: their parts are handed on.
        public var maxResponseBytes = 256 * 1024 * 1024
        /// Ask for gzip-compressed bodies (`Accept-Encoding: gzip`; libcurl decodes them, so every
        /// byte limit applies to the decoded body). Default `true`, as client-go does: an API server
        /// is usually across a network, and a node list compresses about tenfold (issue 18). Streams
        /// (watches) never ask: see `CurlTransfer.configure`.
        public var acceptGzip = true
        /// Body bytes a stream holds for a consumer that lags before the transfer is paused
        /// (`CURL_WRITEFUNC_PAUSE`; resumed at half). Default 1 MiB: hundreds of watch events of a
        /// few KiB; the rest waits in the server's send buffer, not in our memory (issue 13).
        public var streamBufferBytes = 1024 * 1024

        /// A configuration for `server` with every other field at its default.
        public init(server: String) {
            self.server = server
        }

        /// `server` without a trailing `/`, ready for a request path.
        var baseURL: String {
            var base = Substring(server)
            while base.hasSuffix("/") { base = base.dropLast() }
            return String(base)
        }

        /// Checks the fields that can be checked without a connection.
        /// - Throws: `KubeAPIError.configuration` naming the field.
        func validate() throws(KubeAPIError) {
            let lower = server.lowercased()
            let isHTTPS = lower.hasPrefix("https://")
            let isHTTP = lower.hasPrefix("http://")
            guard isHTTPS || (isHTTP && allowPlainHTTP) else {
                let problem = isHTTP ? "plain http is not allowed; use https" : "the server must be an https:// URL"
                throw .configuration(file: nil, field: "server", problem: "\(problem), got \"\(server)\"")
            }
            guard !server.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
                throw .configuration(file: nil, field: "server",
                                     problem: "the server URL contains a space or control character")
            }
            guard (clientCertificate == nil) == (clientKey == nil) else {
                throw .configuration(file: nil, field: clientKey == nil ? "clientKey" : "clientCertificate",
                                     problem: "a client certificate and its key must be given together")
            }
            guard maxResponseBytes > 0 else {
                throw .configuration(file: nil, field: "maxResponseBytes", problem: "must be positive")
            }
            guard streamBufferBytes > 0 else {
                throw .configuration(file: nil, field: "streamBufferBytes", problem: "must be positive")
            }
        }
    }
}
