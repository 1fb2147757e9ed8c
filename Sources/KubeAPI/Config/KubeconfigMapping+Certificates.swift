import FoundationEssentials

extension KubeconfigMapping {
    /// The file named at `key`, made absolute against the folder of the kubeconfig that names it
    /// (kubectl's rule), or `nil` when the key is absent.
    /// - Throws: `.configuration` when the file does not exist, so a typo fails at startup.
    func existingFile(_ key: String) throws(KubeAPIError) -> String? {
        guard let path = try string(key) else { return nil }
        let absolute = ConfigFile.resolve(path, relativeTo: ConfigFile.folder(of: file))
        guard ConfigFile.exists(absolute) else {
            throw error(key, "the file \(absolute) does not exist")
        }
        return absolute
    }

    /// The PEM bytes in the base64 text at `key`, or `nil` when the key is absent.
    /// - Throws: `.configuration` when the text is not base64 or does not decode to PEM. The
    ///   text and the bytes (possibly a private key) never appear in the error.
    func pemData(_ key: String) throws(KubeAPIError) -> [UInt8]? {
        guard let text = try string(key) else { return nil }
        // Go's base64 (which wrote the field) has no line breaks, but hand-edited files do.
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact), !data.isEmpty else {
            throw error(key, "not valid base64")
        }
        let bytes = [UInt8](data)
        guard containsPEMHeader(bytes) else {
            throw error(key, "decodes to something other than PEM (no \"-----BEGIN\" line)")
        }
        return bytes
    }

    /// A certificate or key given as a file (`fileKey`) or base64 data (`dataKey`); `nil` when
    /// neither is set.
    /// - Throws: `.configuration` when both are set (kubectl refuses that too), the file does not
    ///   exist, or the data is not base64 PEM.
    func certificateSource(file fileKey: String, data dataKey: String) throws(KubeAPIError) -> CertificateSource? {
        if has(fileKey) && has(dataKey) {
            throw error(dataKey, "both \(fileKey) and \(dataKey) are set; keep one")
        }
        if let bytes = try pemData(dataKey) { return .pem(bytes) }
        return try existingFile(fileKey).map(CertificateSource.file)
    }

    private func containsPEMHeader(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        guard bytes.count >= marker.count else { return false }
        return (0...(bytes.count - marker.count)).contains { bytes[$0..<($0 + marker.count)].elementsEqual(marker) }
    }
}
