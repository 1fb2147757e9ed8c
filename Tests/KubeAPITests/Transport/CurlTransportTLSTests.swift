import Foundation
import TestSupport
import Testing
@testable import KubeAPI

/// TLS against the project's own webhook server, with certificates from `certs/make-certs.sh`.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportTLSTests {
    /// Starts a peer, runs `body` against it, stops it.
    private func withPeer(_ body: (TLSTestPeer) async throws -> Void) async throws {
        let peer = try TLSTestPeer()
        do {
            try await body(peer)
        } catch {
            await peer.stop()
            throw error
        }
        await peer.stop()
    }

    private func send(to peer: TLSTestPeer, _ configure: (inout CurlTransport.Configuration) -> Void) async throws(KubeAPIError) -> KubeResponse {
        var configuration = CurlTransport.Configuration(server: peer.baseURL)
        configure(&configuration)
        return try await CurlTransport(configuration: configuration).send(KubeRequest(path: "/healthz"))
    }

    @Test func verifiesTheServerWithTheRightCAFile() async throws {
        try await withPeer { peer in
            let response = try await send(to: peer) { $0.certificateAuthority = .file(peer.certificates.caFile) }
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "hello over TLS")
        }
    }

    @Test func trustsACAGivenAsPEMBytes() async throws {
        try await withPeer { peer in
            let pem = try peer.certificates.bytes(of: peer.certificates.caFile)
            #expect(try await send(to: peer) { $0.certificateAuthority = .pem(pem) }.status == 200)
        }
    }

    @Test func refusesAServerSignedByAnotherCA() async throws {
        let other = TestCertificates.other
        try await withPeer { peer in
            for authority in [CertificateSource.file(other.caFile), .pem(try other.bytes(of: other.caFile))] {
                do throws(KubeAPIError) {
                    _ = try await send(to: peer) { $0.certificateAuthority = authority }
                    Issue.record("a server signed by another CA must be refused")
                } catch {
                    guard case .transport(let operation, let reason) = error else { Issue.record("expected .transport"); continue }
                    #expect(operation == "GET /healthz")
                    #expect(reason.lowercased().contains("certificate"), "\(reason)")
                }
            }
        }
    }

    @Test func refusesAPrivateCAWhenOnlyTheSystemStoreIsTrusted() async throws {
        try await withPeer { peer in
            await #expect(throws: KubeAPIError.self) { try await send(to: peer) { _ in } }
        }
    }

    @Test func acceptsAnyCertificateWithInsecureSkipTLSVerify() async throws {
        let other = TestCertificates.other
        try await withPeer { peer in
            let response = try await send(to: peer) {
                $0.certificateAuthority = .file(other.caFile)
                $0.insecureSkipTLSVerify = true
            }
            #expect(response.status == 200)
        }
    }

    @Test func presentsAClientCertificateAndKeyGivenAsFilesOrPEM() async throws {
        try await withPeer { peer in
            let certificates = peer.certificates
            let fromFiles = try await send(to: peer) {
                $0.certificateAuthority = .file(certificates.caFile)
                $0.clientCertificate = .file(certificates.certificateFile)
                $0.clientKey = .file(certificates.keyFile)
            }
            #expect(fromFiles.status == 200)
            let certificatePEM = try certificates.bytes(of: certificates.certificateFile)
            let keyPEM = try certificates.bytes(of: certificates.keyFile)
            let fromPEM = try await send(to: peer) {
                $0.certificateAuthority = .file(certificates.caFile)
                $0.clientCertificate = .pem(certificatePEM)
                $0.clientKey = .pem(keyPEM)
            }
            #expect(fromPEM.status == 200)
        }
    }

    @Test func refusesAClientKeyThatDoesNotMatchTheCertificate() async throws {
        let other = TestCertificates.other
        try await withPeer { peer in
            do throws(KubeAPIError) {
                _ = try await send(to: peer) {
                    $0.certificateAuthority = .file(peer.certificates.caFile)
                    $0.clientCertificate = .file(peer.certificates.certificateFile)
                    $0.clientKey = .file(other.keyFile)
                }
                Issue.record("a key that does not match the certificate must be refused")
            } catch {
                guard case .transport = error else { Issue.record("expected .transport, got \(error)"); return }
            }
        }
    }
}
