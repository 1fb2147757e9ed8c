import KubeAPI
import HTTPServerCore

extension KubeStandIn {
    /// How the stand-in listens and behaves. Every default says why.
    public struct Configuration: Sendable {
        /// Where to listen (default `127.0.0.1:0`: loopback, any free port; tests read the port back).
        public var listen = ListenAddress(host: "127.0.0.1", port: 0)
        /// Serving certificate (default `nil`: plain HTTP, enough for most tests).
        public var tls: CertificateStore?
        /// Time between BOOKMARKs on a watch with `allowWatchBookmarks=true` (default 60 s, what
        /// kube-apiserver does: watch/bookmark-timing-130s.txt). Tests use a second or less.
        public var bookmarkInterval: Duration = .seconds(60)
        /// When set, API requests must carry `Authorization: Bearer <token>` or get 401 (default
        /// `nil`: no authentication).
        public var bearerToken: String?
        /// The validating webhook called on Node CREATE and UPDATE (default `nil`: none).
        public var webhook: WebhookSettings?
        /// History entries kept per kind before old versions answer 410 (default 10,000).
        public var historyLimit = 10_000
        /// Smallest whole (non-streamed) response body sent gzip-compressed to a client that accepts
        /// gzip (default 128 KiB, kube-apiserver's threshold; `nil`: never compress).
        public var gzipThresholdBytes: Int? = 128 * 1024
        /// Event-loop threads (default 1: a test server needs no more).
        public var eventLoopCount = 1
        /// Unsent bytes of one watch beyond which the client is cut off (default 512 MiB: a watch-list's
        /// initial burst is written at once, see `KubeStandIn.init`; lower it to test a lagging client).
        public var streamBacklogBytes = 512 << 20

        /// The defaults.
        public init() {}
    }

    /// The validating webhook, as a ValidatingWebhookConfiguration would name it.
    public struct WebhookSettings: Sendable {
        /// How calls spread over several URLs.
        public enum Spread: String, Sendable, CaseIterable {
            /// Each URL in turn.
            case roundRobin = "round-robin"
            /// A URL picked at random per call.
            case random
        }

        /// `https://127.0.0.1:9443/validate` (or `http://` for a plain test responder); several
        /// stand for the replicas behind the webhook's Service, called as `spread` says.
        public var urls: [String]
        /// How calls spread over `urls` (default round-robin; one URL gets every call).
        public var spread = Spread.roundRobin
        /// The CA bundle that signs the webhook's certificate (default `nil`: system trust).
        public var certificateAuthority: CertificateSource?
        /// The webhook's name in denial messages (default `node-labels.troxileia.io`, deploy/).
        public var name = "node-labels.troxileia.io"
        /// `timeoutSeconds` (default 5, as deployed; sent as `?timeout=5s`).
        public var timeoutSeconds = 5

        /// Settings for the webhook at `url`.
        public init(url: String, certificateAuthority: CertificateSource? = nil) {
            self.init(urls: [url], certificateAuthority: certificateAuthority)
        }

        /// Settings for the webhook served at every one of `urls`, called as `spread` says.
        public init(urls: [String], spread: Spread = .roundRobin, certificateAuthority: CertificateSource? = nil) {
            self.urls = urls
            self.spread = spread
            self.certificateAuthority = certificateAuthority
        }
    }
}
