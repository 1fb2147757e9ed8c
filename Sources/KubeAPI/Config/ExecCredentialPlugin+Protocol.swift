import FoundationEssentials
import TroxileiaCore

extension ExecCredentialPlugin {
    /// The `ExecCredential` a plugin prints (client-go `pkg/apis/clientauthentication/v1`).
    private struct Answer: Decodable {
        struct Status: Decodable {
            var token: String?
            var expirationTimestamp: String?
            var clientCertificateData: String?
            var clientKeyData: String?
        }

        var apiVersion: String?
        var kind: String?
        var status: Status?
    }

    /// The `ExecCredential` we send in `KUBERNETES_EXEC_INFO`.
    private struct Request: Encodable {
        struct Spec: Encodable {
            var interactive: Bool
            var cluster: Cluster?
        }

        struct Cluster: Encodable {
            var server: String
            var certificateAuthorityData: String?
            var insecureSkipTLSVerify: Bool

            enum CodingKeys: String, CodingKey {
                case server
                case certificateAuthorityData = "certificate-authority-data"
                case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            }
        }

        var apiVersion: String
        var kind = "ExecCredential"
        var spec: Spec
    }

    /// The JSON for `KUBERNETES_EXEC_INFO`: never interactive (stdin is not a terminal), with the
    /// cluster when the kubeconfig set `provideClusterInfo`.
    func execInfo() throws(KubeAPIError) -> String {
        let cluster = configuration.cluster.map { info in
            // Go marshals []byte as standard base64, which is what plugins decode.
            let authority = info.certificateAuthorityData.map { Data($0).base64EncodedString() }
            return Request.Cluster(server: info.server, certificateAuthorityData: authority,
                                   insecureSkipTLSVerify: info.insecureSkipTLSVerify)
        }
        let request = Request(apiVersion: configuration.apiVersion, spec: .init(interactive: false, cluster: cluster))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(request) else {
            throw failure("cannot encode KUBERNETES_EXEC_INFO")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The token in the plugin's stdout.
    /// - Throws: `.configuration` when the output is not an ExecCredential of the configured
    ///   apiVersion, holds no token (or only client certificate data, which is not supported), or
    ///   has a malformed expiry. The output itself never appears in the error; `errorText` (the
    ///   stderr excerpt) does.
    func credential(from output: [UInt8], errorText: String) throws(KubeAPIError) -> Credential {
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: Data(output))
        } catch {
            throw failure("printed something other than an ExecCredential JSON document on stdout\(errorText)")
        }
        guard answer.kind == "ExecCredential" else {
            throw failure("printed kind \"\(answer.kind ?? "")\" instead of ExecCredential\(errorText)")
        }
        guard answer.apiVersion == configuration.apiVersion else {
            throw failure("answered with apiVersion \"\(answer.apiVersion ?? "")\", but the kubeconfig asks for "
                + "\(configuration.apiVersion)")
        }
        guard let status = answer.status else {
            throw failure("the ExecCredential has no status\(errorText)")
        }
        guard let token = status.token, !token.isEmpty else {
            if !(status.clientCertificateData ?? "").isEmpty || !(status.clientKeyData ?? "").isEmpty {
                throw failure("client certificate credentials from exec are not supported; configure the plugin "
                    + "to return a token")
            }
            throw failure("the ExecCredential holds no status.token\(errorText)")
        }
        var expiration: Date?
        if let text = status.expirationTimestamp, !text.isEmpty {
            guard let date = Self.parseRFC3339(text) else {
                throw failure("status.expirationTimestamp \"\(text)\" is not an RFC 3339 time")
            }
            expiration = date
        }
        return Credential(token: SecretText(token), expiration: expiration)
    }

    /// An RFC 3339 time (`2024-05-01T10:00:00Z`, with optional fraction and offset).
    static func parseRFC3339(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
