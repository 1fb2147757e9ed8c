import TroxileiaCore

/// Everything needed to reach one Kubernetes API server: where it is, how to trust it, who we are.
///
/// Made by ``KubeConfigLoader`` from the in-cluster service account or a kubeconfig; handed to the
/// transport (TLS and client certificate) and to ``TokenProvider`` (the bearer token).
/// Its `description` names the server and where the settings came from, never a token or key.
public struct KubeConnectionSettings: Sendable, Equatable, CustomStringConvertible {
    /// Base URL of the API server: `https://host:port`, possibly with a path prefix (a proxy such as
    /// Rancher serves a cluster under `/k8s/clusters/ID`), never with a trailing `/`. Request paths
    /// are appended to it. `http://` appears only for a loopback host (`kubectl proxy`).
    public var server: String
    /// The CA bundle that signs the server's certificate; `nil` means the system trust store.
    public var certificateAuthority: CertificateSource?
    /// Skip verification of the server's certificate (kubeconfig `insecure-skip-tls-verify`).
    /// Never set together with ``certificateAuthority`` (the loader refuses that, as kubectl does).
    public var insecureSkipTLSVerify: Bool
    /// Client certificate for mutual TLS; set exactly when ``clientKey`` is.
    public var clientCertificate: CertificateSource?
    /// The client certificate's private key; set exactly when ``clientCertificate`` is.
    public var clientKey: CertificateSource?
    /// How to obtain the bearer token; ``TokenProvider`` turns it into a token per request.
    public var credentials: KubeCredentials
    /// The default namespace: the kubeconfig context's `namespace`, or the service account's
    /// namespace file in-cluster; `nil` when neither says.
    public var namespace: String?
    /// Where the settings came from, for messages: `in-cluster` or
    /// `kubeconfig /root/.kube/config context kind-a`.
    public var source: String

    /// Makes settings from their parts; the loader is the usual way to get them.
    public init(server: String, certificateAuthority: CertificateSource? = nil, insecureSkipTLSVerify: Bool = false,
                clientCertificate: CertificateSource? = nil, clientKey: CertificateSource? = nil,
                credentials: KubeCredentials = .none, namespace: String? = nil, source: String) {
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.credentials = credentials
        self.namespace = namespace
        self.source = source
    }

    /// `server <url> (<source>), auth <kind>`: safe to log, holds no secret.
    public var description: String {
        var auth: [String] = []
        if clientCertificate != nil { auth.append("client certificate") }
        switch credentials {
        case .none: break
        case .token: auth.append("token")
        case .tokenFile(let path): auth.append("token file \(path)")
        case .exec(let plugin): auth.append("exec plugin \(plugin.command)")
        }
        let tls = insecureSkipTLSVerify ? ", TLS verification off" : ""
        return "server \(server) (\(source)), auth \(auth.isEmpty ? "none" : auth.joined(separator: " + "))\(tls)"
    }
}

/// How the client proves who it is with a bearer token.
public enum KubeCredentials: Sendable, Equatable, CustomStringConvertible {
    /// No bearer token (client certificate only, or anonymous).
    case none
    /// A fixed token from the kubeconfig.
    case token(SecretText)
    /// A file holding the token, re-read when it changes: service account tokens are bound and
    /// rotated by the kubelet (hourly by default), and kubeconfig `tokenFile` follows the same rule.
    case tokenFile(String)
    /// A credential plugin that prints an `ExecCredential` (kubeconfig `users[].user.exec`).
    case exec(ExecCredentialPlugin.Configuration)

    /// The kind of credential and the file or command, never the token.
    public var description: String {
        switch self {
        case .none: return "none"
        case .token: return "token <redacted>"
        case .tokenFile(let path): return "token file \(path)"
        case .exec(let plugin): return "exec plugin \(plugin.command)"
        }
    }
}
