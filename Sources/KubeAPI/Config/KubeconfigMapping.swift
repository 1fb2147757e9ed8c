import Yams

/// A YAML mapping from a kubeconfig with the file and field path it sits at, so that every
/// accessor can report a wrong type as one `KubeAPIError.configuration` naming both.
///
/// Values are never quoted back in errors: a mistyped `token` must not end up in a log.
struct KubeconfigMapping {
    /// The mapping itself.
    let mapping: Node.Mapping
    /// The kubeconfig file it was read from.
    let file: String
    /// Its field path, such as `users[alice].user`; empty for the top level.
    let path: String

    /// Wraps `node` when it is a mapping; otherwise throws naming `path`.
    init(_ node: Node, file: String, path: String) throws(KubeAPIError) {
        guard let mapping = node.mapping else {
            let problem = "expected a mapping, found \(Self.kind(of: node))\(Self.line(node))"
            throw KubeAPIError.configuration(file: file, field: path.isEmpty ? nil : path, problem: problem)
        }
        self.mapping = mapping
        self.file = file
        self.path = path
    }

    /// The path of `key` below this mapping, for messages.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value at `key`, or `nil` when absent or `null`.
    func value(_ key: String) -> Node? {
        guard let node = mapping[key] else { return nil }
        if case .scalar(let scalar) = node, scalar.style == .plain, node.null != nil { return nil }
        return node
    }

    /// `true` when `key` holds a value other than `null` or the empty string.
    func has(_ key: String) -> Bool {
        guard let node = value(key) else { return false }
        if case .scalar(let scalar) = node { return !scalar.string.isEmpty }
        return true
    }

    /// The string at `key`; `nil` when absent, `null` or empty. Numbers and booleans read as their text.
    func string(_ key: String) throws(KubeAPIError) -> String? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw typeError(key, node, expected: "a string") }
        return scalar.string.isEmpty ? nil : scalar.string
    }

    /// The boolean at `key` (`true`/`false`); `nil` when absent or `null`.
    func bool(_ key: String) throws(KubeAPIError) -> Bool? {
        guard let node = value(key) else { return nil }
        guard case .scalar = node, let flag = node.bool else { throw typeError(key, node, expected: "true or false") }
        return flag
    }

    /// The mapping at `key`; `nil` when absent or `null`.
    func mapping(_ key: String) throws(KubeAPIError) -> KubeconfigMapping? {
        guard let node = value(key) else { return nil }
        return try KubeconfigMapping(node, file: file, path: field(key))
    }

    /// The items of the sequence at `key`; empty when absent or `null`.
    func sequence(_ key: String) throws(KubeAPIError) -> [Node] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let items) = node else { throw typeError(key, node, expected: "a list") }
        return Array(items)
    }

    /// The strings of the sequence at `key`; empty when absent.
    func strings(_ key: String) throws(KubeAPIError) -> [String] {
        try sequence(key).enumerated().map { (index, node) throws(KubeAPIError) -> String in
            guard case .scalar(let scalar) = node else {
                let problem = "expected a string, found \(Self.kind(of: node))\(Self.line(node))"
                throw KubeAPIError.configuration(file: file, field: "\(field(key))[\(index)]", problem: problem)
            }
            return scalar.string
        }
    }

    /// A `.configuration` error about `key` below this mapping.
    func error(_ key: String?, _ problem: String) -> KubeAPIError {
        .configuration(file: file, field: key.map(field) ?? (path.isEmpty ? nil : path), problem: problem)
    }

    /// ` (line N)` for a node whose position Yams kept, else the empty string.
    static func line(_ node: Node) -> String {
        node.mark.map { " (line \($0.line))" } ?? ""
    }

    private func typeError(_ key: String, _ node: Node, expected: String) -> KubeAPIError {
        error(key, "expected \(expected), found \(Self.kind(of: node))\(Self.line(node))")
    }

    private static func kind(of node: Node) -> String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Text for a Yams parse failure: the problem and its line and column, never the YAML itself
/// (Yams' own description quotes the input, which may hold a token).
func describeYAMLError(_ error: any Error) -> String {
    guard let yamlError = error as? YamlError else { return "not valid YAML" }
    switch yamlError {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
         .composer(let context, let problem, let mark, _):
        let while_ = context.map { " \($0.text) at line \($0.mark.line), column \($0.mark.column);" } ?? ""
        return "not valid YAML:\(while_) \(problem) at line \(mark.line), column \(mark.column)"
    case .reader(let problem, _, _, _):
        return "not valid YAML: \(problem)"
    case .duplicatedKeysInMapping(let duplicates, let context):
        return "not valid YAML: duplicate keys \(duplicates.joined(separator: ", ")) \(context.text) "
            + "at line \(context.mark.line)"
    case .dataCouldNotBeDecoded:
        return "not valid YAML: the text is not UTF-8"
    default:
        return "not valid YAML"
    }
}
