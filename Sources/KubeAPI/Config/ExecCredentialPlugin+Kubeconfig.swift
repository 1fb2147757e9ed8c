extension ExecCredentialPlugin.Configuration {
    /// Reads a kubeconfig `exec` section.
    /// - Throws: `.configuration` naming the field: `apiVersion` missing or not v1/v1beta1,
    ///   `command` missing, an `env` entry without a name, `interactiveMode: Always` (nobody is
    ///   at a terminal to answer), or cluster information that cannot be read.
    init(_ exec: KubeconfigMapping, cluster: KubeconfigCluster) throws(KubeAPIError) {
        guard let apiVersion = try exec.string("apiVersion") else {
            throw exec.error("apiVersion", "missing: set it to \(ExecCredentialPlugin.apiVersionV1)")
        }
        let v1 = ExecCredentialPlugin.apiVersionV1, v1beta1 = ExecCredentialPlugin.apiVersionV1Beta1
        guard apiVersion == v1 || apiVersion == v1beta1 else {
            throw exec.error("apiVersion", "\"\(apiVersion)\" is not supported; use \(v1) (or \(v1beta1))")
        }
        guard let command = try exec.string("command") else {
            throw exec.error("command", "missing: the exec plugin needs a command to run")
        }
        // A command with a slash is a path, relative to the kubeconfig's folder; a bare name is
        // looked up in PATH. (client-go `tools/clientcmd/loader.go`, `GetAuthInfoFileReferences`)
        let resolved = command.contains("/")
            ? ConfigFile.resolve(command, relativeTo: ConfigFile.folder(of: exec.file)) : command

        var environment: [ExecCredentialPlugin.EnvironmentVariable] = []
        for (index, node) in try exec.sequence("env").enumerated() {
            let entry = try KubeconfigMapping(node, file: exec.file, path: "\(exec.field("env"))[\(index)]")
            guard let name = try entry.string("name") else {
                throw entry.error("name", "missing: every env entry needs a name")
            }
            environment.append(.init(name: name, value: try entry.string("value") ?? ""))
        }

        switch try exec.string("interactiveMode") {
        case nil, "Never", "IfAvailable":
            // IfAvailable degrades to non-interactive: stdin is never a terminal here.
            break
        case "Always":
            throw exec.error("interactiveMode", "is Always, but this program runs unattended with no terminal to "
                + "answer the plugin; use a plugin mode that needs no input (Never)")
        case let other?:
            throw exec.error("interactiveMode", "\"\(other)\" is not one of Never, IfAvailable, Always")
        }

        var clusterInfo: ExecCredentialPlugin.ClusterInfo?
        if try exec.bool("provideClusterInfo") ?? false {
            clusterInfo = .init(server: cluster.server,
                                certificateAuthorityData: try cluster.certificateAuthorityBytes(),
                                insecureSkipTLSVerify: cluster.insecureSkipTLSVerify)
        }
        self.init(apiVersion: apiVersion, command: resolved, arguments: try exec.strings("args"),
                  environment: environment, installHint: try exec.string("installHint"), cluster: clusterInfo,
                  declaringFile: exec.file, declaringField: exec.path)
    }
}
