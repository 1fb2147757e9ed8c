import YAMLEvents

/// One named entry of a kubeconfig list (`clusters`, `contexts`, `users`): its body is kept as
/// YAML and read only if the selected context needs it, so a broken entry nobody uses does not
/// stop the program.
struct KubeconfigEntry {
    /// The entry's `name`.
    let name: String
    /// The entry's body (`cluster:`, `context:` or `user:`); `nil` when absent.
    let body: KubeconfigMapping?
    /// The file that defined it; relative paths in the body resolve against its folder.
    let file: String
}

/// The kubeconfig files of one load, merged as kubectl merges `KUBECONFIG`: for `clusters`,
/// `contexts` and `users` the first file to define a name wins, and `current-context` comes from
/// the first file that sets it. (client-go `tools/clientcmd/loader.go`, `ClientConfigLoadingRules.Load`)
struct KubeconfigDocument {
    /// The files that were read, in order.
    private(set) var files: [String] = []
    /// The first `current-context` and the file that set it.
    private(set) var currentContext: (name: String, file: String)?
    private(set) var clusters: [String: KubeconfigEntry] = [:]
    private(set) var contexts: [String: KubeconfigEntry] = [:]
    private(set) var users: [String: KubeconfigEntry] = [:]
    /// Context names in the order they were first defined, for messages.
    private(set) var contextNames: [String] = []
    private(set) var clusterNames: [String] = []
    private(set) var userNames: [String] = []

    /// The largest kubeconfig read: real ones are a few KiB (a hundred contexts with embedded
    /// certificates stay under 1 MiB), so 4 MiB is generous and still keeps YAML parsing cheap.
    static let maximumFileSize = 4 << 20

    /// Bounds for the YAML parser: the file size above, and nesting well past a kubeconfig's
    /// (about 6 levels: `users[].user.exec.env[]`).
    static let parserConfiguration = YAMLParser.Configuration(maximumInputBytes: maximumFileSize, maximumDepth: 64)

    /// `files` joined with `:` as in `KUBECONFIG`, for errors about the merged whole.
    var fileList: String { files.joined(separator: ":") }

    /// Adds the content of one kubeconfig file, later in precedence than those added before.
    /// - Throws: `.configuration` naming `path` when the text is not UTF-8, not YAML, not a
    ///   kubeconfig, or a list entry lacks a name or repeats one.
    mutating func add(_ bytes: [UInt8], from path: String) throws(KubeAPIError) {
        files.append(path)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw KubeAPIError.configuration(file: path, field: nil, problem: "not valid YAML: the text is not UTF-8")
        }
        let root: YAMLNode?
        do {
            root = try YAMLComposer.singleDocument(bytes, configuration: Self.parserConfiguration)
        } catch {
            throw KubeAPIError.configuration(file: path, field: nil, problem: "not valid YAML: \(error)")
        }
        // An empty file is an empty config, as kubectl reads it.
        guard let root else { return }
        let top = try KubeconfigMapping(root, file: path, path: "")
        if let kind = try top.string("kind"), kind != "Config" {
            throw top.error("kind", "is \"\(kind)\"; a kubeconfig has kind Config")
        }
        if currentContext == nil, let name = try top.string("current-context") {
            currentContext = (name, path)
        }
        try merge(top, list: "clusters", body: "cluster", into: &clusters, names: &clusterNames)
        try merge(top, list: "contexts", body: "context", into: &contexts, names: &contextNames)
        try merge(top, list: "users", body: "user", into: &users, names: &userNames)
    }

    private func merge(_ top: KubeconfigMapping, list: String, body: String,
                       into entries: inout [String: KubeconfigEntry], names: inout [String]) throws(KubeAPIError) {
        var seen: Set<String> = []
        for (index, item) in try top.sequence(list).enumerated() {
            let itemMapping = try KubeconfigMapping(item, file: top.file, path: "\(list)[\(index)]")
            guard let name = try itemMapping.string("name") else {
                throw itemMapping.error("name", "missing: every entry of \(list) needs a name")
            }
            // client-go refuses a name twice in one file ("duplicate name in list").
            guard seen.insert(name).inserted else {
                throw itemMapping.error("name", "\"\(name)\" appears twice in \(list)")
            }
            guard entries[name] == nil else { continue }
            let bodyMapping: KubeconfigMapping? = try itemMapping.value(body).map { node throws(KubeAPIError) in
                try KubeconfigMapping(node, file: top.file, path: "\(list)[\(name)].\(body)")
            }
            entries[name] = KubeconfigEntry(name: name, body: bodyMapping, file: top.file)
            names.append(name)
        }
    }
}
