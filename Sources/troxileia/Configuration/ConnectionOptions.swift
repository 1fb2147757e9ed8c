import ArgumentParser
import FoundationEssentials
import KubeAPI
import Logging
import TroxileiaCore

/// How a command reaches the cluster (DESIGN.md configuration table): kubeconfig and the release
/// namespace. Shared by `run`, `plan`, `doctor` and `status`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Kubeconfig file (default: in-cluster service account, else $KUBECONFIG or ~/.kube/config).")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context (default: the current context).")
    var context: String?

    @Option(help: "Release namespace: Lease, status ConfigMap and tap Events (default: the service account's, else default).")
    var namespace: String?

    static let environmentTwins: [EnvironmentTwins.Twin] = ["kubeconfig", "context", "namespace"]
        .map { EnvironmentTwins.Twin(flag: $0, kind: .option) }

    func validate() throws {
        if let namespace, namespace.isEmpty || namespace.utf8.count > 63
            || !namespace.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            throw ValidationError("--namespace \"\(namespace)\" is not a namespace name (lower case letters, digits, -)")
        }
    }

    /// The connection settings (in-cluster or kubeconfig) and the release namespace.
    func connect() throws(KubeAPIError) -> (settings: KubeConnectionSettings, namespace: String) {
        let settings = try KubeConfigLoader().load(kubeconfig: kubeconfig, context: context)
        return (settings, namespace ?? settings.namespace ?? "default")
    }

    /// A client of the cluster and the release namespace.
    func client(logger: Logger) throws(KubeAPIError) -> (client: KubeClient, namespace: String, settings: KubeConnectionSettings) {
        let (settings, namespace) = try connect()
        var configuration = CurlTransport.Configuration(connection: settings)
        if let invalidate = configuration.invalidateBearerToken {
            // The transport reads the credential again and retries once on a 401; say so, or a revoked
            // or rotated credential (and a plugin that keeps handing out a refused one) goes unseen.
            configuration.invalidateBearerToken = {
                logger.notice("the API server refused the bearer token (401): the credential is read again (token file or exec plugin) for the next request; a refused request is sent once more, a refused watch reconnects")
                invalidate()
            }
        }
        let client = KubeClient(transport: try CurlTransport(configuration: configuration), logger: logger)
        return (client, namespace, settings)
    }
}

/// A duration flag, or a validation error naming it.
func duration(_ text: String, _ flag: String) throws(ValidationError) -> Duration {
    guard let value = DurationText.parse(text) else { throw ValidationError("\(flag): \"\(text)\" is not a duration (e.g. 10s, 5m)") }
    return value
}
