/// The decoded query parameters of a request (`a=1&b=x%20y`); the first of a repeated name wins.
struct RequestQuery: Sendable {
    private var values: [String: String] = [:]

    /// Parses `query`; `+` is a space and `%XX` a byte, as Go's `url.ParseQuery` reads them.
    init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? Self.decode(parts[1]) : "" }
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// `true`, `1` (how kube-apiserver reads booleans: Go's `strconv.ParseBool`).
    func flag(_ name: String) -> Bool {
        guard let value = values[name] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(value)
    }

    static func decode(_ text: Substring) -> String {
        var out: [UInt8] = []
        var bytes = text.utf8[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), bytes.count >= 2,
                      let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Which resource a path names: `/api/v1/namespaces/NS/pods/NAME/status`.
struct APIPath: Sendable, Equatable {
    var kind: ResourceKind
    var namespace: String?
    var name: String?
    var subresource: String?

    /// Reads `path`, or nil when it names nothing the stand-in serves.
    init?(_ path: String) {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { String($0) }
        if segments.last == "" { segments.removeLast() }
        let prefix: [String]
        if segments.starts(with: ["api", "v1"]) {
            prefix = ["api", "v1"]
        } else if segments.count >= 3, segments[0] == "apis" {
            prefix = Array(segments[0..<3])
        } else {
            return nil
        }
        var rest = Array(segments.dropFirst(prefix.count))
        var namespace: String?
        if rest.count >= 2, rest[0] == "namespaces" {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard let plural = rest.first,
              let kind = ResourceKind.all.first(where: { $0.plural == plural && ["apis", $0.group, $0.version] == prefix || ($0.group.isEmpty && prefix == ["api", "v1"] && $0.plural == plural) }),
              rest.count <= 3, kind.namespaced || namespace == nil else { return nil }
        self.kind = kind
        self.namespace = namespace.map { RequestQuery.decode($0[...]) }
        self.name = rest.count > 1 ? RequestQuery.decode(rest[1][...]) : nil
        self.subresource = rest.count > 2 ? rest[2] : nil
        if let subresource, subresource != "status" { return nil }
        if name != nil && kind.namespaced && namespace == nil { return nil }
    }
}
