import Testing
@testable import KubeAPI

extension ConfigTests {
    /// The `cluster` section: server URL rules and the certificate authority.
    @Suite struct KubeconfigClusterTests {
        @Test func readsCertificateAuthorityData() throws {
            let scratch = try ConfigScratch()
            let cluster = "server: https://k8s.example:6443\ncertificate-authority-data: \(TestPEM.base64(TestPEM.certificate))"
            let settings = try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch)
            #expect(settings.certificateAuthority == .pem(Array(TestPEM.certificate.utf8)))
            #expect(!settings.insecureSkipTLSVerify)
        }

        @Test func resolvesARelativeCertificateAuthorityAgainstTheKubeconfigFolder() throws {
            let scratch = try ConfigScratch()
            let caPath = try scratch.write("conf/certs/ca.crt", TestPEM.certificate)
            let cluster = "server: https://k8s.example:6443\ncertificate-authority: certs/ca.crt"
            let settings = try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch,
                                                       name: "conf/config.yaml")
            #expect(settings.certificateAuthority == .file(caPath))
        }

        @Test func missingCertificateAuthorityFileNamesIt() throws {
            let scratch = try ConfigScratch()
            let cluster = "server: https://k8s.example:6443\ncertificate-authority: /nonexistent/ca.crt"
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch))
            #expect(failure.field == "clusters[main].cluster.certificate-authority")
            #expect(failure.problem.contains("/nonexistent/ca.crt") && failure.problem.contains("does not exist"))
        }

        @Test func insecureSkipTLSVerifyIsRead() throws {
            let scratch = try ConfigScratch()
            let cluster = "server: https://k8s.example:6443\ninsecure-skip-tls-verify: true"
            let settings = try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch)
            #expect(settings.insecureSkipTLSVerify)
            #expect(settings.certificateAuthority == nil)
            #expect(settings.description.contains("TLS verification off"))
        }

        @Test func insecureTogetherWithACertificateAuthorityIsRefused() throws {
            let scratch = try ConfigScratch()
            let cluster = "server: https://k8s.example\ninsecure-skip-tls-verify: true\n"
                + "certificate-authority-data: \(TestPEM.base64(TestPEM.certificate))"
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch))
            #expect(failure.field == "clusters[main].cluster.insecure-skip-tls-verify")
        }

        @Test(arguments: ["certificate-authority-data: not*base64", "certificate-authority-data: aGVsbG8gd29ybGQ="])
        func badCertificateAuthorityDataIsRefused(line: String) throws {
            let scratch = try ConfigScratch()
            let cluster = "server: https://k8s.example\n\(line)"
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch))
            #expect(failure.field == "clusters[main].cluster.certificate-authority-data")
            #expect(failure.problem.contains("base64") || failure.problem.contains("PEM"))
        }

        @Test func insecureMustBeABoolean() throws {
            let scratch = try ConfigScratch()
            let cluster = "server: https://k8s.example\ninsecure-skip-tls-verify: perhaps"
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch))
            #expect(failure.field == "clusters[main].cluster.insecure-skip-tls-verify")
            #expect(failure.problem.contains("true or false") && failure.problem.contains("line "))
        }

        @Test func plainHTTPToANonLoopbackServerIsRefused() throws {
            let scratch = try ConfigScratch()
            let cluster = "server: http://k8s.example:8080"
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch))
            #expect(failure.field == "clusters[main].cluster.server")
            #expect(failure.problem.contains("clear text") && failure.problem.contains("loopback"))
        }

        @Test func plainHTTPToLoopbackIsAllowed() throws {
            let scratch = try ConfigScratch()
            let settings = try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(cluster: "server: http://127.0.0.1:8001/"),
                                                       in: scratch)
            #expect(settings.server == "http://127.0.0.1:8001")
        }

        @Test func missingServerIsNamed() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(cluster: "insecure-skip-tls-verify: false"),
                                                                      in: scratch))
            #expect(failure.field == "clusters[main].cluster.server")
            #expect(failure.problem.hasPrefix("missing"))
        }

        @Test(arguments: ["tls-server-name: api.internal", "proxy-url: http://proxy:3128"])
        func unimplementedConnectionOptionsAreRefused(line: String) throws {
            let scratch = try ConfigScratch()
            let cluster = "server: https://k8s.example\n\(line)"
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(cluster: cluster), in: scratch))
            #expect(failure.problem.contains("not supported"))
        }
    }
}
