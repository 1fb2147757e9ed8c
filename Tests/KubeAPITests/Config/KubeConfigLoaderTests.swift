import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

extension ConfigTests {
    /// In-cluster loading and the selection order between in-cluster, `--kubeconfig`, `KUBECONFIG`
    /// and `~/.kube/config`.
    @Suite struct KubeConfigLoaderTests {
        static let minimalKubeconfig = """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: dev
              cluster:
                server: https://dev.example:6443
            contexts:
            - name: dev
              context: {cluster: dev, user: dev}
            users:
            - name: dev
              user: {token: dev-token}
            """

        private func serviceAccount(_ scratch: ConfigScratch, token: String? = "sa-token\n",
                                    namespace: String? = "troxileia\n", ca: Bool = true) throws -> String {
            if let token { try scratch.write("sa/token", token) }
            if let namespace { try scratch.write("sa/namespace", namespace) }
            if ca { try scratch.write("sa/ca.crt", TestPEM.certificate) }
            return scratch.file("sa")
        }

        private let inCluster = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]

        @Test func readsTheServiceAccountInCluster() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch)
            let settings = try KubeConfigLoader(environment: inCluster, serviceAccountFolder: folder).load()
            #expect(settings.server == "https://10.96.0.1:443")
            #expect(settings.certificateAuthority == .file("\(folder)/ca.crt"))
            #expect(settings.credentials == .tokenFile("\(folder)/token"))
            #expect(settings.namespace == "troxileia")
            #expect(settings.source == "in-cluster")
            #expect(!settings.insecureSkipTLSVerify && settings.clientCertificate == nil)
        }

        @Test func bracketsAnIPv6ServiceHost() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch)
            let environment = ["KUBERNETES_SERVICE_HOST": "fd00:10:96::1", "KUBERNETES_SERVICE_PORT": "6443"]
            let settings = try KubeConfigLoader(environment: environment, serviceAccountFolder: folder).loadInCluster()
            #expect(settings.server == "https://[fd00:10:96::1]:6443")
        }

        @Test func missingTokenNamesTheTokenFile() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch, token: nil)
            let failure = try #require(configurationFailure {
                try KubeConfigLoader(environment: inCluster, serviceAccountFolder: folder).load()
            })
            #expect(failure.file == "\(folder)/token")
            #expect(failure.problem.contains("does not exist"))
        }

        @Test func emptyTokenIsRefused() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch, token: " \n")
            let failure = try #require(configurationFailure {
                try KubeConfigLoader(environment: inCluster, serviceAccountFolder: folder).load()
            })
            #expect(failure.file == "\(folder)/token")
            #expect(failure.problem.contains("empty"))
        }

        @Test func missingCABundleNamesTheFile() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch, ca: false)
            let failure = try #require(configurationFailure {
                try KubeConfigLoader(environment: inCluster, serviceAccountFolder: folder).load()
            })
            #expect(failure.file == "\(folder)/ca.crt")
        }

        @Test func missingNamespaceFileLeavesTheNamespaceUnset() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch, namespace: nil)
            let settings = try KubeConfigLoader(environment: inCluster, serviceAccountFolder: folder).load()
            #expect(settings.namespace == nil)
        }

        @Test(arguments: [[:], ["KUBERNETES_SERVICE_PORT": "https"], ["KUBERNETES_SERVICE_PORT": "70000"]])
        func badServicePortIsRefused(extra: [String: String]) throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch)
            let environment = ["KUBERNETES_SERVICE_HOST": "10.96.0.1"].merging(extra) { $1 }
            let failure = try #require(configurationFailure {
                try KubeConfigLoader(environment: environment, serviceAccountFolder: folder).load()
            })
            #expect(failure.field == "KUBERNETES_SERVICE_PORT")
        }

        @Test func explicitKubeconfigWinsOverInCluster() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch)
            let path = try scratch.write("explicit.yaml", Self.minimalKubeconfig)
            let settings = try KubeConfigLoader(environment: inCluster, serviceAccountFolder: folder).load(kubeconfig: path)
            #expect(settings.server == "https://dev.example:6443")
            #expect(settings.source == "kubeconfig \(path) context dev")
        }

        @Test func inClusterWinsOverKUBECONFIG() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch)
            let path = try scratch.write("env.yaml", Self.minimalKubeconfig)
            let environment = inCluster.merging(["KUBECONFIG": path]) { $1 }
            let settings = try KubeConfigLoader(environment: environment, serviceAccountFolder: folder).load()
            #expect(settings.source == "in-cluster")
        }

        @Test func contextWithoutKubeconfigInClusterIsRefused() throws {
            let scratch = try ConfigScratch()
            let folder = try serviceAccount(scratch)
            let failure = try #require(configurationFailure {
                try KubeConfigLoader(environment: inCluster, serviceAccountFolder: folder).load(context: "dev")
            })
            #expect(failure.field == "--context")
            #expect(failure.problem.contains("--kubeconfig"))
        }

        @Test func usesKUBECONFIGOutsideACluster() throws {
            let scratch = try ConfigScratch()
            let path = try scratch.write("env.yaml", Self.minimalKubeconfig)
            let environment = ["KUBECONFIG": path, "HOME": scratch.file("home")]
            let settings = try KubeConfigLoader(environment: environment, serviceAccountFolder: scratch.file("none")).load()
            #expect(settings.source == "kubeconfig \(path) context dev")
            #expect(settings.credentials == .token(SecretText("dev-token")))
        }

        @Test func fallsBackToHomeKubeConfig() throws {
            let scratch = try ConfigScratch()
            let path = try scratch.write("home/.kube/config", Self.minimalKubeconfig)
            let settings = try KubeConfigLoader(environment: ["HOME": scratch.file("home")]).load()
            #expect(settings.source == "kubeconfig \(path) context dev")
        }

        @Test func nothingToLoadSaysWhatWasTried() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(configurationFailure {
                try KubeConfigLoader(environment: ["HOME": scratch.path]).load()
            })
            #expect(failure.file == scratch.file(".kube/config"))
            #expect(failure.problem.contains("KUBERNETES_SERVICE_HOST") && failure.problem.contains("--kubeconfig"))
        }

        @Test func explicitKubeconfigMustExist() throws {
            let scratch = try ConfigScratch()
            let missing = scratch.file("missing.yaml")
            let failure = try #require(configurationFailure { try KubeConfigLoader(environment: [:]).load(kubeconfig: missing) })
            #expect(failure.file == missing)
            #expect(failure.problem.contains("does not exist"))
        }

        @Test func kubeconfigListSkipsMissingFilesButNeedsOne() throws {
            let scratch = try ConfigScratch()
            let present = try scratch.write("b.yaml", Self.minimalKubeconfig)
            let list = "\(scratch.file("a.yaml")):\(present)"
            let settings = try KubeConfigLoader(environment: ["KUBECONFIG": list]).load()
            #expect(settings.server == "https://dev.example:6443")

            let onlyMissing = "\(scratch.file("a.yaml")):\(scratch.file("c.yaml"))"
            let failure = try #require(configurationFailure { try KubeConfigLoader(environment: ["KUBECONFIG": onlyMissing]).load() })
            #expect(failure.file == onlyMissing)
            #expect(failure.field == "KUBECONFIG")
        }
    }
}
