import TroxileiaCore

/// Hands the transport the bearer token for each request, from whatever ``KubeCredentials``
/// the settings hold.
///
/// - `.none`: no token (`nil`).
/// - `.token`: the same token every time.
/// - `.tokenFile`: the file's content, re-read when the file changes (checked at most once per
///   ``Configuration/tokenFileCheckInterval``), because bound service account tokens rotate.
/// - `.exec`: the plugin's token, cached until shortly before its `expirationTimestamp` (or for
///   the process lifetime without one); concurrent callers share one plugin run.
///
/// Call ``invalidate()`` when the server answers 401, so the next ``token()`` fetches afresh.
/// Safe to use from any task or thread. The token never appears in an error or description.
public final class TokenProvider: Sendable, CustomStringConvertible {
    /// Timing and bounds; the defaults suit production, tests shorten them.
    public struct Configuration: Sendable {
        /// How often a token file's stamp is checked; default 1 s: a `stat` per second is free,
        /// and the kubelet rotates tokens long before they expire (at 80 % of their life).
        public var tokenFileCheckInterval: Duration = .seconds(1)
        /// How long before an exec token's expiry it is replaced; default 10 s, covering clock
        /// skew and a request in flight (capped at half the token's remaining life).
        public var expiryMargin: Duration = .seconds(10)
        /// How long an exec plugin may run; default 30 s (``ExecCredentialPlugin/timeout``).
        public var execTimeout: Duration = .seconds(30)
        /// The most an exec plugin may print; default 1 MiB.
        public var execMaximumOutput: Int = 1 << 20

        /// The defaults, adjusted through the properties.
        public init() {}
    }

    private enum Source: Sendable {
        case none
        case constant(SecretText)
        case file(TokenFileSource)
        case exec(ExecTokenCache)
    }

    private let source: Source
    private let credentials: KubeCredentials

    /// A provider for `credentials`. Nothing is read or run until the first ``token()``.
    public init(credentials: KubeCredentials, configuration: Configuration = Configuration()) {
        self.credentials = credentials
        switch credentials {
        case .none:
            source = .none
        case .token(let token):
            source = .constant(token)
        case .tokenFile(let path):
            source = .file(TokenFileSource(path: path, checkInterval: configuration.tokenFileCheckInterval))
        case .exec(let plugin):
            let runner = ExecCredentialPlugin(configuration: plugin, timeout: configuration.execTimeout,
                                              maximumOutput: configuration.execMaximumOutput)
            source = .exec(ExecTokenCache(plugin: runner, expiryMargin: configuration.expiryMargin))
        }
    }

    /// The bearer token for the next request, or `nil` when the credentials have none.
    /// - Throws: `KubeAPIError.configuration` naming the token file (missing, unreadable, empty)
    ///   or the kubeconfig exec field (the plugin failed; its stderr excerpt included).
    public func token() async throws(KubeAPIError) -> SecretText? {
        switch source {
        case .none: return nil
        case .constant(let token): return token
        case .file(let file): return try file.token()
        case .exec(let cache): return try await cache.token()
        }
    }

    /// Drops what is cached: the next ``token()`` re-reads the token file (failing if it cannot)
    /// or runs the exec plugin. Call it when the server answers 401 Unauthorized.
    public func invalidate() {
        switch source {
        case .none, .constant: break
        case .file(let file): file.invalidate()
        case .exec(let cache): cache.invalidate()
        }
    }

    /// The kind of credentials, never the token.
    public var description: String { "TokenProvider(\(credentials))" }
}
