import Foundation
import KubeStandIn
import Logging
import TestSupport
import Testing
import HTTPServerCore
@testable import KubeAPI

/// Client-certificate authentication, as kubeconfigs with `client-certificate` use it, against
/// the API stand-in requiring certificates signed by its client CA (kube-apiserver's
/// `--client-ca-file`).
@Suite(.serialized, .timeLimit(.minutes(1))) struct CurlTransportMutualTLSTests {
    /// A client certificate (`clientAuth`) for `name`, signed by the CA in `authority`.
    private func clientCertificate(_ name: String, signedBy authority: TestCertificates) throws -> (String, String) {
        let directory = authority.directory
        let script = """
            set -euo pipefail
            cd "\(directory.path)"
            openssl ecparam -name prime256v1 -genkey -noout -out \(name).key 2>/dev/null
            openssl req -new -key \(name).key -subj "/CN=\(name)/O=troxileia" -out \(name).csr 2>/dev/null
            printf 'extendedKeyUsage=clientAuth\\nkeyUsage=digitalSignature\\n' > \(name).ext
            openssl x509 -req -in \(name).csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile \(name).ext -out \(name).crt 2>/dev/null
            """
        let process = Process()
        process.executableURL = URL(filePath: "/bin/bash")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw KubeAPIError.configuration(file: nil, field: nil, problem: "openssl failed") }
        return (directory.appending(path: "\(name).crt").path, directory.appending(path: "\(name).key").path)
    }

    @Test func authenticatesWithAClientCertificateAndIsRefusedWithoutOne() async throws {
        let server = try TestCertificates.make()
        let stranger = try TestCertificates.make()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var configuration = KubeStandIn.Configuration()
        configuration.tls = try CertificateStore(certificateFile: server.certificateFile, keyFile: server.keyFile,
                                                 clientCAFile: server.caFile)
        let standIn = try KubeStandIn(configuration: configuration, logger: logger)
        let port = try standIn.start()
        defer { Task { await standIn.shutdown() } }

        func transport(certificate: (String, String)?) throws -> CurlTransport {
            var settings = CurlTransport.Configuration(server: "https://127.0.0.1:\(port)")
            settings.certificateAuthority = .file(server.caFile)
            if let (certificate, key) = certificate {
                settings.clientCertificate = .file(certificate)
                settings.clientKey = .file(key)
            }
            return try CurlTransport(configuration: settings)
        }
        let request = KubeRequest(path: "/api/v1/nodes?limit=5", timeout: .seconds(5))

        let admin = try clientCertificate("admin", signedBy: server)
        #expect(try await transport(certificate: admin).send(request).status == 200)

        let anonymous = await (try transport(certificate: nil)).sendError(request)
        guard case .transport = anonymous else {
            Issue.record("a client without a certificate must fail the handshake, got \(String(describing: anonymous))")
            return
        }
        let forged = try clientCertificate("mallory", signedBy: stranger)
        let refused = await (try transport(certificate: forged)).sendError(request)
        guard case .transport = refused else {
            Issue.record("a certificate from another CA must be refused, got \(String(describing: refused))")
            return
        }
    }
}
