import FoundationEssentials

/// Finds and reads the Kubernetes connection settings: the pod's service account in a cluster,
/// or a kubeconfig file elsewhere.
///
/// Selection order of ``load(kubeconfig:context:)``, first match wins:
/// 1. an explicit kubeconfig path (`--kubeconfig`): that file, which must exist;
/// 2. in-cluster, when `KUBERNETES_SERVICE_HOST` is set (the kubelet sets it in every pod);
/// 3. `KUBECONFIG`: its files joined with `:`, merged as kubectl merges them (missing files are
///    skipped, but at least one must exist);
/// 4. `$HOME/.kube/config`.
///
/// This follows client-go's rules with one deliberate difference: client-go (and
/// controller-runtime) let a `KUBECONFIG` or `~/.kube/config` found inside a pod win over the
/// service account, while here a pod always uses its own service account unless `--kubeconfig`
/// says otherwise, so a stray variable or file in an image cannot point the controller at
/// another cluster. A context name (`--context`) applies to kubeconfig
/// only; with the in-cluster configuration it is an error rather than silently ignored.
///
/// Loading reads only files (no network, no plugin runs) and is synchronous: call it once at
/// startup. Every problem is one `KubeAPIError.configuration` naming the file and field.
public struct KubeConfigLoader: Sendable {
    /// Where the kubelet mounts the service account token, CA bundle and namespace in a pod.
    public static let defaultServiceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The process environment to read `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`,
    /// `KUBECONFIG` and `HOME` from.
    public var environment: [String: String]
    /// The service account folder (`token`, `ca.crt`, `namespace`); tests point it at a temp dir.
    public var serviceAccountFolder: String

    /// A loader reading `environment` (default: this process's) and `serviceAccountFolder`
    /// (default: the kubelet's mount point).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                serviceAccountFolder: String = KubeConfigLoader.defaultServiceAccountFolder) {
        self.environment = environment
        self.serviceAccountFolder = serviceAccountFolder
    }

    /// The settings chosen by the selection order above.
    /// - Parameters:
    ///   - kubeconfig: an explicit kubeconfig path (`--kubeconfig`); `nil` or empty for none.
    ///   - context: a context name overriding `current-context` (`--context`); kubeconfig only.
    /// - Throws: `KubeAPIError.configuration` for the first missing or broken piece.
    public func load(kubeconfig: String? = nil, context: String? = nil) throws(KubeAPIError) -> KubeConnectionSettings {
        let context = context.flatMap { $0.isEmpty ? nil : $0 }
        if let kubeconfig, !kubeconfig.isEmpty {
            return try loadKubeconfig(files: [kubeconfig], context: context, skipMissing: false)
        }
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            if context != nil {
                throw KubeAPIError.configuration(
                    file: nil, field: "--context",
                    problem: "a context applies to kubeconfig files, but the in-cluster configuration was chosen "
                        + "(KUBERNETES_SERVICE_HOST is set and no kubeconfig was given); pass --kubeconfig as well")
            }
            return try loadInCluster()
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var files: [String] = []
            for file in list.split(separator: ":").map(String.init) where !files.contains(file) {
                files.append(file)
            }
            if !files.isEmpty {
                return try loadKubeconfig(files: files, context: context, skipMissing: true)
            }
        }
        guard let home = environment["HOME"], !home.isEmpty else {
            throw KubeAPIError.configuration(
                file: nil, field: "HOME",
                problem: "no Kubernetes configuration found: not in a cluster (KUBERNETES_SERVICE_HOST is not set), "
                    + "KUBECONFIG is not set, and HOME is not set to find ~/.kube/config; pass --kubeconfig")
        }
        let defaultFile = ConfigFile.resolve(".kube/config", relativeTo: home)
        guard ConfigFile.exists(defaultFile) else {
            throw KubeAPIError.configuration(
                file: defaultFile, field: nil,
                problem: "no Kubernetes configuration found: not in a cluster (KUBERNETES_SERVICE_HOST is not set), "
                    + "KUBECONFIG is not set, and this file does not exist; pass --kubeconfig")
        }
        return try loadKubeconfig(files: [defaultFile], context: context, skipMissing: false)
    }

    /// The in-cluster settings: server from `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`,
    /// CA `ca.crt`, token file `token` (re-read as it rotates), namespace from `namespace`.
    /// - Throws: `.configuration` when a variable is unset or malformed, the token file is missing,
    ///   unreadable or empty, or `ca.crt` is missing.
    public func loadInCluster() throws(KubeAPIError) -> KubeConnectionSettings {
        guard let host = environment["KUBERNETES_SERVICE_HOST"].map(ConfigFile.trimmed), !host.isEmpty else {
            throw KubeAPIError.configuration(file: nil, field: "KUBERNETES_SERVICE_HOST",
                                             problem: "is not set, so this is not running in a Kubernetes pod")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"].map(ConfigFile.trimmed), !port.isEmpty else {
            throw KubeAPIError.configuration(file: nil, field: "KUBERNETES_SERVICE_PORT",
                                             problem: "is not set while KUBERNETES_SERVICE_HOST is")
        }
        guard let number = Int(port), (1...65535).contains(number) else {
            throw KubeAPIError.configuration(file: nil, field: "KUBERNETES_SERVICE_PORT",
                                             problem: "\"\(port)\" is not a port number")
        }
        let server: String
        switch ServerURL.validate(ServerURL.inCluster(host: host, port: port)) {
        case .success(let url): server = url
        case .failure(let problem):
            throw KubeAPIError.configuration(file: nil, field: "KUBERNETES_SERVICE_HOST", problem: problem.text)
        }

        let tokenFile = ConfigFile.resolve("token", relativeTo: serviceAccountFolder)
        // Read once now so a pod without a mounted token fails at startup, not at the first request.
        _ = try TokenFileSource.readToken(tokenFile, field: "token")

        let caFile = ConfigFile.resolve("ca.crt", relativeTo: serviceAccountFolder)
        guard ConfigFile.exists(caFile) else {
            throw KubeAPIError.configuration(file: caFile, field: "ca.crt",
                                             problem: "the service account CA bundle does not exist")
        }
        return KubeConnectionSettings(server: server, certificateAuthority: .file(caFile),
                                      credentials: .tokenFile(tokenFile), namespace: try readNamespace(),
                                      source: "in-cluster")
    }

    /// The service account's namespace, `nil` when the file is absent or empty.
    private func readNamespace() throws(KubeAPIError) -> String? {
        let file = ConfigFile.resolve("namespace", relativeTo: serviceAccountFolder)
        switch ConfigFile.read(file, limit: 4096) {
        case .success(let bytes):
            let namespace = ConfigFile.trimmed(String(decoding: bytes, as: UTF8.self))
            return namespace.isEmpty ? nil : namespace
        case .failure(.missing):
            return nil
        case .failure(let failure):
            throw KubeAPIError.configuration(file: file, field: "namespace", problem: failure.description)
        }
    }
}
