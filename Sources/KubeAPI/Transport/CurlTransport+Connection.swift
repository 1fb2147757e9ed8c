extension CurlTransport.Configuration {
    /// libcurl settings from kubeconfig or in-cluster settings; a token is read through `TokenProvider`
    /// (file re-read on rotation, exec plugin cached until expiry, both dropped on a 401). Shared by
    /// `troxileia` and `troxileia-kube-bench --kubeconfig` (issue 18).
    public init(connection settings: KubeConnectionSettings) {
        self.init(server: settings.server)
        // kubectl talks plain HTTP to an http:// server too (local stand-ins, kubectl proxy).
        allowPlainHTTP = settings.server.hasPrefix("http://")
        certificateAuthority = settings.certificateAuthority
        insecureSkipTLSVerify = settings.insecureSkipTLSVerify
        clientCertificate = settings.clientCertificate
        clientKey = settings.clientKey
        if settings.credentials != .none {
            let provider = TokenProvider(credentials: settings.credentials)
            bearerToken = { try await provider.token() }
            invalidateBearerToken = { provider.invalidate() }
        }
    }
}
