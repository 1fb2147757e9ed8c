/// The `cluster` section of a kubeconfig `clusters` entry, checked: where the server is and how
/// to trust it.
struct KubeconfigCluster {
    /// The validated server URL (https, or http to a loopback host).
    let server: String
    /// `certificate-authority` (an absolute path) or `certificate-authority-data` (PEM bytes).
    let certificateAuthority: CertificateSource?
    /// `insecure-skip-tls-verify`.
    let insecureSkipTLSVerify: Bool
    /// The section, for the exec plugin's cluster information.
    let section: KubeconfigMapping

    /// Reads and checks `entry`'s `cluster` section.
    /// - Throws: `.configuration` naming the field: the section or `server` missing, a server
    ///   that is not https (except loopback), a CA file that does not exist, CA data that is not
    ///   base64 PEM, a CA together with `insecure-skip-tls-verify`, or an option this client
    ///   does not implement (`tls-server-name`, `proxy-url`), which would otherwise be ignored
    ///   silently and connect differently than kubectl does.
    init(_ entry: KubeconfigEntry) throws(KubeAPIError) {
        guard let section = entry.body else {
            throw KubeAPIError.configuration(file: entry.file, field: "clusters[\(entry.name)].cluster",
                                             problem: "missing: a cluster needs at least a server")
        }
        self.section = section
        guard let rawServer = try section.string("server") else {
            throw section.error("server", "missing: the cluster needs the API server's URL (https://HOST:PORT)")
        }
        switch ServerURL.validate(rawServer) {
        case .success(let url): server = url
        case .failure(let problem): throw section.error("server", problem.text)
        }
        for (key, hint) in [("tls-server-name", "use a server URL whose host the certificate names"),
                            ("proxy-url", "reach the server directly")] where section.has(key) {
            throw section.error(key, "not supported by this client; \(hint)")
        }
        certificateAuthority = try section.certificateSource(file: "certificate-authority",
                                                             data: "certificate-authority-data")
        insecureSkipTLSVerify = try section.bool("insecure-skip-tls-verify") ?? false
        if insecureSkipTLSVerify && certificateAuthority != nil {
            // kubectl refuses this pair: trusting a CA and trusting anything contradict.
            throw section.error("insecure-skip-tls-verify",
                                "set together with a certificate authority; keep one of the two")
        }
    }

    /// The CA bundle's bytes, read from the file if need be, for `KUBERNETES_EXEC_INFO`.
    /// - Throws: `.configuration` naming `certificate-authority` when the file cannot be read.
    func certificateAuthorityBytes() throws(KubeAPIError) -> [UInt8]? {
        switch certificateAuthority {
        case .none:
            return nil
        case .pem(let bytes):
            return bytes
        case .file(let path):
            switch ConfigFile.read(path, limit: KubeconfigDocument.maximumFileSize) {
            case .success(let bytes): return bytes
            case .failure(let failure): throw section.error("certificate-authority", "\(path): \(failure)")
            }
        }
    }
}
