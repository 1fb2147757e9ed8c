/// Checks and builds API server URLs.
///
/// Rule: `https://` always; `http://` only to a loopback host (`localhost`, `127.0.0.0/8`, `::1`),
/// which is what `kubectl proxy` serves and where nothing crosses a network. Anything else would
/// send a bearer token in clear text, so it is refused rather than warned about.
enum ServerURL {
    /// What is wrong with a server URL, phrased for a person.
    struct Problem: Error {
        /// The sentence for the error's `problem`.
        let text: String
    }

    /// `raw` validated and normalised (scheme lower-cased, trailing `/` removed), or the problem
    /// with it, phrased for a person.
    static func validate(_ raw: String) -> Result<String, Problem> {
        let text = ConfigFile.trimmed(raw)
        guard !text.isEmpty else { return problem("the server URL is empty") }
        guard let schemeEnd = text.firstRange(of: "://") else {
            return problem("\"\(text)\" has no scheme; write it as https://HOST:PORT")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        guard scheme == "https" || scheme == "http" else {
            return problem("\"\(text)\" uses \(scheme)://; only https:// is allowed")
        }
        guard !rest.contains("?") && !rest.contains("#") else {
            return problem("\"\(text)\" has a query or fragment; give only https://HOST:PORT and an optional path")
        }
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        guard !authority.contains("@") else {
            return problem("the server URL holds user information (user@host); put credentials in the user entry")
        }
        guard let host = hostPart(of: authority) else {
            return problem("\"\(text)\" has no valid host")
        }
        if let portText = portPart(of: authority) {
            guard let port = Int(portText), (1...65535).contains(port) else {
                return problem("\"\(text)\" has an invalid port \"\(portText)\"")
            }
        }
        if scheme == "http" && !isLoopback(host) {
            return problem("\"\(text)\" uses http://, which would send credentials in clear text; only https:// "
                + "is allowed, except to a loopback host (localhost, 127.0.0.1, [::1]) such as kubectl proxy")
        }
        return .success(scheme + "://" + authority + path)
    }

    /// The in-cluster server URL from `KUBERNETES_SERVICE_HOST` and `_PORT`; an IPv6 address is
    /// bracketed (`https://[fd00::1]:443`), as a URL requires.
    static func inCluster(host: String, port: String) -> String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "https://\(bracketed):\(port)"
    }

    private static func problem(_ text: String) -> Result<String, Problem> { .failure(Problem(text: text)) }

    /// `true` for `localhost`, any `127.x.y.z` and `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "localhost." || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { octet in UInt8(octet).map { _ in true } ?? false }
    }

    /// The host of `host[:port]` or `[v6]:port`, without brackets; `nil` when malformed or empty.
    private static func hostPart(of authority: Substring) -> String? {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let inner = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard !inner.isEmpty, after.isEmpty || after.hasPrefix(":") else { return nil }
            return String(inner)
        }
        let host = authority.prefix { $0 != ":" }
        guard !host.isEmpty, authority.filter({ $0 == ":" }).count <= 1 else { return nil }
        return String(host)
    }

    /// The port text after the host, `nil` when there is none.
    private static func portPart(of authority: Substring) -> String? {
        let afterHost: Substring
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            afterHost = authority[authority.index(after: close)...]
        } else {
            afterHost = authority.drop { $0 != ":" }
        }
        return afterHost.hasPrefix(":") ? String(afterHost.dropFirst()) : nil
    }
}
