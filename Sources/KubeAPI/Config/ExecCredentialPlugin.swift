import FoundationEssentials
import TroxileiaCore

/// A kubeconfig credential plugin (`users[].user.exec`): a command that prints an
/// `ExecCredential` JSON document holding a bearer token, such as `kubelogin`,
/// `gke-gcloud-auth-plugin` or `aws eks get-token`.
///
/// ``run()`` starts the command once and returns its token; caching and single flight are
/// ``TokenProvider``'s job. The command runs unattended: stdin is `/dev/null`, time and output
/// are bounded, and the whole process group is killed when either bound is passed.
/// (Protocol: client-go `plugin/pkg/client/auth/exec/exec.go`.)
public struct ExecCredentialPlugin: Sendable {
    /// What the kubeconfig says about the plugin.
    public struct Configuration: Sendable, Equatable {
        /// `client.authentication.k8s.io/v1` or `…/v1beta1`: sent in `KUBERNETES_EXEC_INFO`
        /// and required back in the plugin's answer.
        public var apiVersion: String
        /// The program: a name looked up in `PATH`, or a path (made absolute against the
        /// kubeconfig's folder when relative, as kubectl does).
        public var command: String
        /// Its arguments.
        public var arguments: [String]
        /// Variables added to this process's environment for the plugin (they override).
        public var environment: [EnvironmentVariable]
        /// The kubeconfig's `installHint`, shown when the command cannot be started.
        public var installHint: String?
        /// Cluster information for `KUBERNETES_EXEC_INFO` when `provideClusterInfo` is true.
        public var cluster: ClusterInfo?
        /// The kubeconfig file that declared the plugin, for messages.
        public var declaringFile: String?
        /// The field that declared it (`users[alice].user.exec`), for messages.
        public var declaringField: String?

        /// A configuration from its parts; the kubeconfig loader is the usual source.
        public init(apiVersion: String = ExecCredentialPlugin.apiVersionV1, command: String, arguments: [String] = [],
                    environment: [EnvironmentVariable] = [], installHint: String? = nil, cluster: ClusterInfo? = nil,
                    declaringFile: String? = nil, declaringField: String? = nil) {
            self.apiVersion = apiVersion
            self.command = command
            self.arguments = arguments
            self.environment = environment
            self.installHint = installHint
            self.cluster = cluster
            self.declaringFile = declaringFile
            self.declaringField = declaringField
        }
    }

    /// One `env` entry of the exec section.
    public struct EnvironmentVariable: Sendable, Equatable {
        /// The variable's name.
        public var name: String
        /// Its value.
        public var value: String

        /// A variable `name=value`.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What the plugin is told about the cluster (`spec.cluster` of `KUBERNETES_EXEC_INFO`).
    public struct ClusterInfo: Sendable, Equatable {
        /// The server URL.
        public var server: String
        /// The CA bundle's PEM bytes, if the kubeconfig names one.
        public var certificateAuthorityData: [UInt8]?
        /// `insecure-skip-tls-verify`.
        public var insecureSkipTLSVerify: Bool

        /// Cluster information from its parts.
        public init(server: String, certificateAuthorityData: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false) {
            self.server = server
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
        }
    }

    /// A token the plugin handed out.
    public struct Credential: Sendable {
        /// The bearer token.
        public var token: SecretText
        /// When it stops being valid (`status.expirationTimestamp`); `nil` when the plugin did not say.
        public var expiration: Date?
    }

    /// The current ExecCredential API version.
    public static let apiVersionV1 = "client.authentication.k8s.io/v1"
    /// The beta version, still written by older plugins and kubeconfig generators.
    public static let apiVersionV1Beta1 = "client.authentication.k8s.io/v1beta1"

    /// The plugin to run.
    public var configuration: Configuration
    /// How long the plugin may run before its process group is killed; default 30 s, enough for a
    /// cloud CLI's token exchange, short enough that a stuck plugin shows up as an error.
    public var timeout: Duration
    /// The most stdout may hold; default 1 MiB (an ExecCredential is a few KiB).
    public var maximumOutput: Int

    /// A runner for `configuration` with the given bounds.
    public init(configuration: Configuration, timeout: Duration = .seconds(30), maximumOutput: Int = 1 << 20) {
        self.configuration = configuration
        self.timeout = timeout
        self.maximumOutput = maximumOutput
    }

    /// A `.configuration` error about this plugin: its kubeconfig file and field, and `problem`.
    func failure(_ problem: String) -> KubeAPIError {
        .configuration(file: configuration.declaringFile, field: configuration.declaringField ?? "exec",
                       problem: "credential plugin \(configuration.command): \(problem)")
    }
}
