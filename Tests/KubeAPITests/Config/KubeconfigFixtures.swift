import KubeAPI

/// Kubeconfig text for tests: one cluster, context and user named `main`, with the cluster and
/// user sections given as YAML lines.
enum KubeconfigFixtures {
    static func kubeconfig(cluster: String = "server: https://k8s.example:6443",
                           user: String = "token: main-token") -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: main
        clusters:
        - name: main
          cluster:
        \(indent(cluster))
        contexts:
        - name: main
          context:
            cluster: main
            user: main
            namespace: sensors
        users:
        - name: main
          user:
        \(indent(user))
        """
    }

    /// Writes `text` as `config.yaml` in `scratch` and loads it.
    static func load(_ text: String, in scratch: ConfigScratch, name: String = "config.yaml",
                     context: String? = nil) throws -> KubeConnectionSettings {
        let path = try scratch.write(name, text)
        return try KubeConfigLoader(environment: [:]).loadKubeconfig(files: [path], context: context)
    }

    /// The `.configuration` error loading `text` throws.
    static func failure(_ text: String, in scratch: ConfigScratch, context: String? = nil) throws -> ConfigurationFailure? {
        let path = try scratch.write("config.yaml", text)
        return configurationFailure { try KubeConfigLoader(environment: [:]).loadKubeconfig(files: [path], context: context) }
    }

    private static func indent(_ lines: String) -> String {
        lines.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    }
}
