extension KubeConfigLoader {
    /// Loads and merges the kubeconfig `files` (first file wins per name, as kubectl merges
    /// `KUBECONFIG`) and builds the settings of `context`, or of `current-context` when `nil`.
    /// - Parameters:
    ///   - files: kubeconfig paths in precedence order.
    ///   - context: the context to use instead of `current-context`.
    ///   - skipMissing: skip files that do not exist (the `KUBECONFIG` rule); at least one must.
    /// - Throws: `.configuration` naming the file and field of the first problem: an unreadable,
    ///   oversized (over 4 MiB) or malformed file, no or an unknown context, a missing cluster or
    ///   user, a bad server URL, certificate or credential.
    public func loadKubeconfig(files: [String], context: String? = nil,
                               skipMissing: Bool = false) throws(KubeAPIError) -> KubeConnectionSettings {
        var document = KubeconfigDocument()
        for file in files {
            switch ConfigFile.read(file, limit: KubeconfigDocument.maximumFileSize) {
            case .success(let bytes):
                try document.add(bytes, from: file)
            case .failure(.missing) where skipMissing:
                continue
            case .failure(.tooLarge(let limit)):
                throw KubeAPIError.configuration(
                    file: file, field: nil,
                    problem: "the file is larger than \(ConfigFile.sizeText(limit)); kubeconfig files over "
                        + "\(ConfigFile.sizeText(limit)) are refused")
            case .failure(let failure):
                throw KubeAPIError.configuration(file: file, field: nil, problem: failure.description)
            }
        }
        guard !document.files.isEmpty else {
            throw KubeAPIError.configuration(file: files.joined(separator: ":"), field: "KUBECONFIG",
                                             problem: "none of the listed kubeconfig files exist")
        }
        return try settings(from: document, context: context)
    }

    /// The settings of one context of a merged document.
    private func settings(from document: KubeconfigDocument,
                          context explicitContext: String?) throws(KubeAPIError) -> KubeConnectionSettings {
        let available = document.contextNames.isEmpty ? "the kubeconfig defines no contexts"
            : "available: \(document.contextNames.joined(separator: ", "))"
        let contextName: String
        if let explicitContext {
            contextName = explicitContext
        } else if let current = document.currentContext {
            contextName = current.name
        } else {
            throw KubeAPIError.configuration(file: document.fileList, field: "current-context",
                                             problem: "not set; set it or pass --context NAME (\(available))")
        }
        guard let contextEntry = document.contexts[contextName] else {
            let origin = explicitContext == nil ? document.currentContext?.file : nil
            throw KubeAPIError.configuration(file: origin ?? document.fileList,
                                             field: explicitContext == nil ? "current-context" : "--context",
                                             problem: "no context named \"\(contextName)\" (\(available))")
        }
        guard let context = contextEntry.body else {
            throw KubeAPIError.configuration(file: contextEntry.file, field: "contexts[\(contextName)].context",
                                             problem: "missing: a context needs at least a cluster")
        }

        guard let clusterName = try context.string("cluster") else {
            throw context.error("cluster", "missing: the context must name a cluster")
        }
        guard let clusterEntry = document.clusters[clusterName] else {
            throw context.error("cluster", "names cluster \"\(clusterName)\", which no kubeconfig file defines "
                + "(\(Self.listing(document.clusterNames, kind: "clusters")))")
        }
        let cluster = try KubeconfigCluster(clusterEntry)

        var user = KubeconfigUser.anonymous
        // A context without a user is anonymous access, as in kubectl (client certificate-less,
        // token-less); useful only against a server that allows it, but not a config error.
        if let userName = try context.string("user") {
            guard let userEntry = document.users[userName] else {
                throw context.error("user", "names user \"\(userName)\", which no kubeconfig file defines "
                    + "(\(Self.listing(document.userNames, kind: "users")))")
            }
            user = try KubeconfigUser(userEntry, cluster: cluster)
        }

        return KubeConnectionSettings(
            server: cluster.server, certificateAuthority: cluster.certificateAuthority,
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify,
            clientCertificate: user.clientCertificate, clientKey: user.clientKey, credentials: user.credentials,
            namespace: try context.string("namespace"),
            source: "kubeconfig \(contextEntry.file) context \(contextName)")
    }

    private static func listing(_ names: [String], kind: String) -> String {
        names.isEmpty ? "no \(kind) are defined" : "available: \(names.joined(separator: ", "))"
    }
}
