import Testing
@testable import KubeAPI

extension ConfigTests {
    /// The kubeconfig `exec` section.
    @Suite struct ExecCredentialPluginKubeconfigTests {
        private func exec(_ lines: String, cluster: String = "server: https://k8s.example:6443",
                          in scratch: ConfigScratch) throws -> ExecCredentialPlugin.Configuration? {
            let indented = lines.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")
            let settings = try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(cluster: cluster, user: "exec:\n\(indented)"),
                                                       in: scratch)
            guard case .exec(let configuration) = settings.credentials else { return nil }
            return configuration
        }

        private func failure(_ lines: String, in scratch: ConfigScratch) throws -> ConfigurationFailure? {
            let indented = lines.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")
            return try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig(user: "exec:\n\(indented)"), in: scratch)
        }

        @Test func readsTheExecSection() throws {
            let scratch = try ConfigScratch()
            let configuration = try #require(try exec("""
                apiVersion: client.authentication.k8s.io/v1
                command: bin/get-token
                args: [--cluster, main]
                env:
                - {name: REGION, value: eu-1}
                - {name: EMPTY}
                installHint: install get-token from the wiki
                interactiveMode: Never
                """, in: scratch))
            #expect(configuration.apiVersion == "client.authentication.k8s.io/v1")
            #expect(configuration.command == scratch.file("bin/get-token"))
            #expect(configuration.arguments == ["--cluster", "main"])
            #expect(configuration.environment == [.init(name: "REGION", value: "eu-1"), .init(name: "EMPTY", value: "")])
            #expect(configuration.installHint == "install get-token from the wiki")
            #expect(configuration.cluster == nil)
            #expect(configuration.declaringFile == scratch.file("config.yaml"))
            #expect(configuration.declaringField == "users[main].user.exec")
        }

        @Test func bareCommandNamesStayForPATHLookup() throws {
            let scratch = try ConfigScratch()
            let configuration = try #require(try exec("apiVersion: client.authentication.k8s.io/v1beta1\ncommand: kubelogin",
                                                      in: scratch))
            #expect(configuration.command == "kubelogin")
            #expect(configuration.apiVersion == ExecCredentialPlugin.apiVersionV1Beta1)
        }

        @Test func provideClusterInfoCarriesServerAndCA() throws {
            let scratch = try ConfigScratch()
            try scratch.write("ca.crt", TestPEM.certificate)
            let configuration = try #require(try exec(
                "apiVersion: client.authentication.k8s.io/v1\ncommand: kubelogin\nprovideClusterInfo: true",
                cluster: "server: https://k8s.example:6443\ncertificate-authority: ca.crt", in: scratch))
            #expect(configuration.cluster == .init(server: "https://k8s.example:6443",
                                                   certificateAuthorityData: Array(TestPEM.certificate.utf8)))
        }

        @Test func interactiveModeAlwaysIsRefused() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(
                "apiVersion: client.authentication.k8s.io/v1\ncommand: kubelogin\ninteractiveMode: Always", in: scratch))
            #expect(failure.field == "users[main].user.exec.interactiveMode")
            #expect(failure.problem.contains("unattended"))
        }

        @Test func missingCommandIsRefused() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure("apiVersion: client.authentication.k8s.io/v1\nargs: [x]", in: scratch))
            #expect(failure.field == "users[main].user.exec.command")
        }

        @Test(arguments: ["command: kubelogin", "apiVersion: client.authentication.k8s.io/v1alpha1\ncommand: kubelogin"])
        func missingOrRetiredAPIVersionIsRefused(lines: String) throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(lines, in: scratch))
            #expect(failure.field == "users[main].user.exec.apiVersion")
        }

        @Test func envEntryWithoutNameIsRefused() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try failure(
                "apiVersion: client.authentication.k8s.io/v1\ncommand: x\nenv:\n- {value: v}", in: scratch))
            #expect(failure.field == "users[main].user.exec.env[0].name")
        }
    }
}
