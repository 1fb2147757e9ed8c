import Testing
import TroxileiaCore
@testable import KubeAPI

extension ConfigTests {
    /// The `user` section: tokens, client certificates and the auth methods we refuse.
    @Suite struct KubeconfigUserTests {
        private func load(user: String, in scratch: ConfigScratch) throws -> KubeConnectionSettings {
            try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(user: user), in: scratch)
        }

        private func failure(user: String, in scratch: ConfigScratch) throws -> ConfigurationFailure? {
            try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(user: user), in: scratch)
        }

        @Test func tokenFileIsResolvedAgainstTheKubeconfigFolder() throws {
            let scratch = try ConfigScratch()
            let tokenPath = try scratch.write("tokens/main", "file-token\n")
            let settings = try load(user: "tokenFile: tokens/main", in: scratch)
            #expect(settings.credentials == .tokenFile(tokenPath))
        }

        @Test func missingTokenFileIsNamed() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(user: "tokenFile: tokens/none", in: scratch))
            #expect(failure.field == "users[main].user.tokenFile")
            #expect(failure.problem.contains(scratch.file("tokens/none")))
        }

        @Test func clientCertificateFilesAreResolved() throws {
            let scratch = try ConfigScratch()
            let certificate = try scratch.write("pki/client.crt", TestPEM.certificate)
            let key = try scratch.write("pki/client.key", TestPEM.key)
            let settings = try load(user: "client-certificate: pki/client.crt\nclient-key: \(key)", in: scratch)
            #expect(settings.clientCertificate == .file(certificate))
            #expect(settings.clientKey == .file(key))
            #expect(settings.credentials == .none)
        }

        @Test func clientCertificateDataIsDecoded() throws {
            let scratch = try ConfigScratch()
            let user = "client-certificate-data: \(TestPEM.base64(TestPEM.certificate))\n"
                + "client-key-data: \(TestPEM.base64(TestPEM.key))"
            let settings = try load(user: user, in: scratch)
            #expect(settings.clientCertificate == .pem(Array(TestPEM.certificate.utf8)))
            #expect(settings.clientKey == .pem(Array(TestPEM.key.utf8)))
            #expect(!settings.description.contains("PRIVATE"))
        }

        @Test func certificateWithoutKeyIsRefused() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(user: "client-certificate-data: \(TestPEM.base64(TestPEM.certificate))",
                                                   in: scratch))
            #expect(failure.field == "users[main].user.client-key")
            let keyOnly = try #require(try self.failure(user: "client-key-data: \(TestPEM.base64(TestPEM.key))", in: scratch))
            #expect(keyOnly.field == "users[main].user.client-certificate")
        }

        @Test func badKeyDataNeverShowsTheKey() throws {
            let scratch = try ConfigScratch()
            let user = "client-certificate-data: \(TestPEM.base64(TestPEM.certificate))\nclient-key-data: c2VjcmV0LWtleQ=*="
            let failure = try #require(try failure(user: user, in: scratch))
            #expect(failure.field == "users[main].user.client-key-data")
            #expect(!failure.description.contains("c2VjcmV0LWtleQ"))
        }

        @Test func authProviderIsNotSupported() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(user: "auth-provider:\n  name: oidc\n  config: {id-token: abc}", in: scratch))
            #expect(failure.field == "users[main].user.auth-provider")
            #expect(failure.problem.contains("\"oidc\" is not supported") && failure.problem.contains("kubelogin"))
            #expect(failure.problem.contains("exec plugin"))
        }

        @Test func basicAuthIsNotSupported() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(user: "username: admin\npassword: hunter2", in: scratch))
            #expect(failure.problem.contains("basic authentication"))
            #expect(!failure.description.contains("hunter2"))
        }

        @Test func impersonationIsNotSupported() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(user: "token: t\nas: system:admin", in: scratch))
            #expect(failure.field == "users[main].user.as")
        }

        @Test func twoTokenSourcesAreRefused() throws {
            let scratch = try ConfigScratch()
            try scratch.write("token", "t")
            let failure = try #require(try failure(user: "token: inline-secret\ntokenFile: token", in: scratch))
            #expect(failure.problem.contains("token, tokenFile"))
            #expect(!failure.description.contains("inline-secret"))
        }

        @Test func mistypedTokenIsNotQuoted() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(user: "token: [quoted-secret]", in: scratch))
            #expect(failure.field == "users[main].user.token")
            #expect(!failure.description.contains("quoted-secret"))
        }

        @Test func contextWithoutUserIsAnonymous() throws {
            let scratch = try ConfigScratch()
            let text = KubeconfigFixtures.kubeconfig().replacingOccurrences(of: "    user: main\n", with: "")
            let settings = try KubeconfigFixtures.load(text, in: scratch)
            #expect(settings.credentials == .none && settings.clientCertificate == nil)
        }
    }
}
