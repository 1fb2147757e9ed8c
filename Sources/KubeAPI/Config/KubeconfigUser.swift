import TroxileiaCore

/// The `user` section of a kubeconfig `users` entry, checked: client certificate and bearer
/// token credentials.
struct KubeconfigUser {
    /// `client-certificate` or `client-certificate-data`.
    var clientCertificate: CertificateSource?
    /// `client-key` or `client-key-data`.
    var clientKey: CertificateSource?
    /// `token`, `tokenFile` or `exec`; `.none` when the user has none of them.
    var credentials: KubeCredentials

    /// A context without a user: no certificate, no token.
    static let anonymous = KubeconfigUser(clientCertificate: nil, clientKey: nil, credentials: .none)

    private init(clientCertificate: CertificateSource?, clientKey: CertificateSource?, credentials: KubeCredentials) {
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.credentials = credentials
    }

    /// Reads and checks `entry`'s `user` section; `cluster` feeds an exec plugin's cluster info.
    /// - Throws: `.configuration` naming the field: an auth method this client does not support
    ///   (`auth-provider`, basic auth, impersonation), a certificate without its key or the other
    ///   way round, a missing file, bad base64, more than one of `token`/`tokenFile`/`exec`, or a
    ///   broken `exec` section.
    init(_ entry: KubeconfigEntry, cluster: KubeconfigCluster) throws(KubeAPIError) {
        guard let section = entry.body else {
            // `- name: x` with no `user:` is an empty user, which kubectl accepts as anonymous.
            self = .anonymous
            return
        }
        try Self.refuseUnsupported(section)

        clientCertificate = try section.certificateSource(file: "client-certificate", data: "client-certificate-data")
        clientKey = try section.certificateSource(file: "client-key", data: "client-key-data")
        if clientCertificate != nil && clientKey == nil {
            throw section.error("client-key", "missing: client-certificate is set, but a certificate needs its key "
                + "(client-key or client-key-data)")
        }
        if clientKey != nil && clientCertificate == nil {
            throw section.error("client-certificate", "missing: client-key is set, but a key needs its certificate "
                + "(client-certificate or client-certificate-data)")
        }

        let methods = ["token", "tokenFile", "exec"].filter(section.has)
        if methods.count > 1 {
            let listed = methods.joined(separator: ", ")
            throw section.error(methods[1], "more than one bearer token source is set (\(listed)); keep one")
        }
        if let token = try section.string("token") {
            credentials = .token(SecretText(token))
        } else if let tokenFile = try section.existingFile("tokenFile") {
            credentials = .tokenFile(tokenFile)
        } else if let exec = try section.mapping("exec") {
            credentials = .exec(try ExecCredentialPlugin.Configuration(exec, cluster: cluster))
        } else {
            credentials = .none
        }
    }

    /// Throws a clear error for each kubeconfig auth method this client does not implement,
    /// so that it is never silently ignored (which would send requests as someone else).
    private static func refuseUnsupported(_ section: KubeconfigMapping) throws(KubeAPIError) {
        if let provider = try section.mapping("auth-provider") {
            let name = (try? provider.string("name")).flatMap { $0 }.map { " \"\($0)\"" } ?? ""
            throw section.error("auth-provider", "the auth provider\(name) is not supported: use an exec plugin "
                + "(e.g. kubelogin, gke-gcloud-auth-plugin), as current kubectl does")
        }
        for key in ["username", "password"] where section.has(key) {
            throw section.error(key, "basic authentication (username/password) is not supported: "
                + "use a token, a client certificate or an exec plugin")
        }
        for key in ["as", "as-uid", "as-groups", "as-user-extra"] where section.has(key) {
            throw section.error(key, "impersonation is not supported: use the impersonated identity's own credentials")
        }
    }
}
