import YAMLEvents

/// A YAML mapping from a kubeconfig with the file and field path it sits at, so that every
/// accessor can report a wrong type as one `KubeAPIError.configuration` naming both.
///
/// Values are never quoted back in errors: a mistyped `token` must not end up in a log.
struct KubeconfigMapping {
    /// The mapping itself (a `YAMLNode` the initialiser checked is a mapping).
    let mapping: YAMLNode
    /// The kubeconfig file it was read from.
    let file: String
    /// Its field path, such as `users[alice].user`; empty for the top level.
    let path: String

    /// Wraps `node` when it is a mapping; otherwise throws naming `path`.
    init(_ node: YAMLNode, file: String, path: String) throws(KubeAPIError) {
        guard case .mapping = node else {
            let problem = "expected a mapping, found \(Self.kind(of: node))\(Self.line(node))"
            throw KubeAPIError.configuration(file: file, field: path.isEmpty ? nil : path, problem: problem)
        }
        self.mapping = node
        self.file = file
        self.path = path
    }

    /// The path of `key` below this mapping, for messages.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value at `key`, or `nil` when absent or `null`.
    func value(_ key: String) -> YAMLNode? {
        guard let node = mapping[key] else { return nil }
        if case .scalar(let scalar) = node, scalar.isNull { return nil }
        return node
    }

    /// `true` when `key` holds a value other than `null` or the empty string.
    func has(_ key: String) -> Bool {
        guard let node = value(key) else { return false }
        if case .scalar(let scalar) = node { return !scalar.value.isEmpty }
        return true
    }

    /// The string at `key`; `nil` when absent, `null` or empty. Numbers and booleans read as their text.
    func string(_ key: String) throws(KubeAPIError) -> String? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw typeError(key, node, expected: "a string") }
        return scalar.value.isEmpty ? nil : scalar.value
    }

    /// The boolean at `key` (`true`/`false`); `nil` when absent or `null`.
    func bool(_ key: String) throws(KubeAPIError) -> Bool? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node, let flag = scalar.bool else { throw typeError(key, node, expected: "true or false") }
        return flag
    }

    /// The mapping at `key`; `nil` when absent or `null`.
    func mapping(_ key: String) throws(KubeAPIError) -> KubeconfigMapping? {
        guard let node = value(key) else { return nil }
        return try KubeconfigMapping(node, file: file, path: field(key))
    }

    /// The items of the sequence at `key`; empty when absent or `null`.
    func sequence(_ key: String) throws(KubeAPIError) -> [YAMLNode] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let items, _) = node else { throw typeError(key, node, expected: "a list") }
        return items
    }

    /// The strings of the sequence at `key`; empty when absent.
    func strings(_ key: String) throws(KubeAPIError) -> [String] {
        try sequence(key).enumerated().map { (index, node) throws(KubeAPIError) -> String in
            guard case .scalar(let scalar) = node else {
                let problem = "expected a string, found \(Self.kind(of: node))\(Self.line(node))"
                throw KubeAPIError.configuration(file: file, field: "\(field(key))[\(index)]", problem: problem)
            }
            return scalar.value
        }
    }

    /// A `.configuration` error about `key` below this mapping.
    func error(_ key: String?, _ problem: String) -> KubeAPIError {
        .configuration(file: file, field: key.map(field) ?? (path.isEmpty ? nil : path), problem: problem)
    }

    /// ` (line N)`: where the node starts.
    static func line(_ node: YAMLNode) -> String {
        " (line \(node.mark.line))"
    }

    private func typeError(_ key: String, _ node: YAMLNode, expected: String) -> KubeAPIError {
        error(key, "expected \(expected), found \(Self.kind(of: node))\(Self.line(node))")
    }

    private static func kind(of node: YAMLNode) -> String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
