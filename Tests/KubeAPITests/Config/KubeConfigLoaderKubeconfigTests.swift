import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

extension ConfigTests {
    /// Kubeconfig documents: merging, context selection and the file-level errors.
    @Suite struct KubeConfigLoaderKubeconfigTests {
        @Test func readsTokenUserAndContextNamespace() throws {
            let scratch = try ConfigScratch()
            let settings = try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(), in: scratch)
            #expect(settings.server == "https://k8s.example:6443")
            #expect(settings.credentials == .token(SecretText("main-token")))
            #expect(settings.namespace == "sensors")
            #expect(settings.source == "kubeconfig \(scratch.file("config.yaml")) context main")
            #expect(!settings.description.contains("main-token"))
        }

        static let first = """
            current-context: alpha
            clusters:
            - name: shared
              cluster: {server: "https://first.example"}
            contexts:
            - name: alpha
              context: {cluster: shared, user: u1}
            users:
            - name: u1
              user: {token: first-token}
            """
        static let second = """
            current-context: beta
            clusters:
            - name: shared
              cluster: {server: "https://second.example"}
            - name: only-second
              cluster: {server: "https://only-second.example"}
            contexts:
            - name: alpha
              context: {cluster: only-second, user: u2}
            - name: beta
              context: {cluster: shared, user: u2, namespace: beta-ns}
            users:
            - name: u1
              user: {token: second-token}
            - name: u2
              user: {token: u2-token}
            """

        @Test func mergesKUBECONFIGFirstFileWins() throws {
            let scratch = try ConfigScratch()
            let a = try scratch.write("a.yaml", Self.first)
            let b = try scratch.write("b.yaml", Self.second)
            let loader = KubeConfigLoader(environment: ["KUBECONFIG": "\(a):\(b)"])

            // current-context, context alpha, cluster shared and user u1 all come from the first file.
            let current = try loader.load()
            #expect(current.source == "kubeconfig \(a) context alpha")
            #expect(current.server == "https://first.example")
            #expect(current.credentials == .token(SecretText("first-token")))

            // A context only the second file has still resolves its names with first-wins.
            let beta = try loader.load(context: "beta")
            #expect(beta.source == "kubeconfig \(b) context beta")
            #expect(beta.server == "https://first.example")
            #expect(beta.credentials == .token(SecretText("u2-token")))
            #expect(beta.namespace == "beta-ns")
        }

        @Test func explicitContextOverridesCurrentContext() throws {
            let scratch = try ConfigScratch()
            let path = try scratch.write("b.yaml", Self.second)
            let settings = try KubeConfigLoader(environment: [:]).load(kubeconfig: path, context: "alpha")
            #expect(settings.server == "https://only-second.example")
        }

        @Test func unknownContextListsTheAvailableOnes() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try KubeconfigFixtures.failure(Self.second, in: scratch, context: "gamma"))
            #expect(failure.field == "--context")
            #expect(failure.problem.contains("\"gamma\"") && failure.problem.contains("available: alpha, beta"))
        }

        @Test func unknownCurrentContextNamesTheFile() throws {
            let scratch = try ConfigScratch()
            let text = Self.second.replacingOccurrences(of: "current-context: beta", with: "current-context: gone")
            let failure = try #require(try KubeconfigFixtures.failure(text, in: scratch))
            #expect(failure.file == scratch.file("config.yaml"))
            #expect(failure.field == "current-context")
            #expect(failure.problem.contains("available: alpha, beta"))
        }

        @Test func missingCurrentContextAsksForOne() throws {
            let scratch = try ConfigScratch()
            let text = Self.second.replacingOccurrences(of: "current-context: beta\n", with: "")
            let failure = try #require(try KubeconfigFixtures.failure(text, in: scratch))
            #expect(failure.field == "current-context")
            #expect(failure.problem.contains("--context") && failure.problem.contains("alpha, beta"))
        }

        @Test func emptyFileHasNoContext() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try KubeconfigFixtures.failure("", in: scratch))
            #expect(failure.field == "current-context")
            #expect(failure.problem.contains("defines no contexts"))
        }

        @Test func undefinedClusterAndUserAreNamed() throws {
            let scratch = try ConfigScratch()
            let noCluster = KubeconfigFixtures.kubeconfig().replacingOccurrences(of: "cluster: main", with: "cluster: other")
            let clusterFailure = try #require(try KubeconfigFixtures.failure(noCluster, in: scratch))
            #expect(clusterFailure.field == "contexts[main].context.cluster")
            #expect(clusterFailure.problem.contains("\"other\"") && clusterFailure.problem.contains("available: main"))

            let noUser = KubeconfigFixtures.kubeconfig().replacingOccurrences(of: "user: main", with: "user: nobody")
            let userFailure = try #require(try KubeconfigFixtures.failure(noUser, in: scratch))
            #expect(userFailure.field == "contexts[main].context.user")
            #expect(userFailure.problem.contains("\"nobody\""))
        }

        @Test func malformedYAMLGivesTheLine() throws {
            let scratch = try ConfigScratch()
            let text = "apiVersion: v1\nclusters:\n- name: a\n  cluster: {server: [unclosed\nusers: []\n"
            let failure = try #require(try KubeconfigFixtures.failure(text, in: scratch))
            #expect(failure.file == scratch.file("config.yaml"))
            #expect(failure.problem.hasPrefix("not valid YAML"))
            #expect(failure.problem.contains("line "))
        }

        @Test func yamlErrorsDoNotQuoteTheFile() throws {
            let scratch = try ConfigScratch()
            let text = KubeconfigFixtures.kubeconfig(user: "token: secret-in-yaml\n  bad: [")
            let failure = try #require(try KubeconfigFixtures.failure(text, in: scratch))
            #expect(!failure.description.contains("secret-in-yaml"))
        }

        @Test(arguments: ["- just\n- a list\n", "kind: Node\n", "clusters: {a: b}\n", "clusters:\n- cluster: {}\n"])
        func documentsThatAreNotKubeconfigsAreRefused(text: String) throws {
            let scratch = try ConfigScratch()
            let failure = try #require(try KubeconfigFixtures.failure(text, in: scratch))
            #expect(failure.file == scratch.file("config.yaml"))
        }

        /// Anchors and aliases are YAML a person may write in a kubeconfig: they resolve.
        @Test func aliasesResolveToTheirAnchoredValues() throws {
            let scratch = try ConfigScratch()
            let text = KubeconfigFixtures.kubeconfig(cluster: "server: &server https://k8s.example:6443")
                .replacingOccurrences(of: "namespace: sensors", with: "namespace: *server")
            let settings = try KubeconfigFixtures.load(text, in: scratch)
            #expect(settings.namespace == "https://k8s.example:6443")
        }

        /// A "billion laughs" document (10^9 nodes through nested aliases) fails at the node bound.
        @Test func billionLaughsIsRefused() throws {
            let scratch = try ConfigScratch()
            var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            for level in 1...8 {
                text += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]\n"
            }
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig() + "\n" + text, in: scratch))
            #expect(failure.problem.hasPrefix("not valid YAML: more than"))
        }

        @Test func duplicateKeysAreRefusedWithoutQuotingTheFile() throws {
            let scratch = try ConfigScratch()
            let text = KubeconfigFixtures.kubeconfig(user: "token: secret-in-yaml\ntoken: again")
            let failure = try #require(try KubeconfigFixtures.failure(text, in: scratch))
            #expect(failure.problem.hasPrefix("not valid YAML: found duplicate key token in a mapping at line"))
            #expect(!failure.description.contains("secret-in-yaml"))
        }

        @Test func duplicateNamesInOneFileAreRefused() throws {
            let scratch = try ConfigScratch()
            let text = "clusters:\n- name: a\n  cluster: {server: https://a}\n- name: a\n  cluster: {server: https://b}\n"
            let failure = try #require(try KubeconfigFixtures.failure(text, in: scratch))
            #expect(failure.field == "clusters[1].name")
        }

        @Test func filesOverFourMiBAreRefused() throws {
            let scratch = try ConfigScratch()
            let padding = String(repeating: "# padding line\n", count: (4 << 20) / 15 + 1)
            let failure = try #require(try KubeconfigFixtures.failure(KubeconfigFixtures.kubeconfig() + "\n" + padding, in: scratch))
            #expect(failure.problem.contains("4 MiB"))
        }

        @Test func nonUTF8IsRefused() throws {
            let scratch = try ConfigScratch()
            let path = try scratch.write("config.yaml", bytes: [0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a])
            let failure = try #require(configurationFailure { try KubeConfigLoader(environment: [:]).loadKubeconfig(files: [path]) })
            #expect(failure.problem.contains("UTF-8"))
        }

        @Test func aDirectoryIsNotAKubeconfig() throws {
            let scratch = try ConfigScratch()
            let failure = try #require(configurationFailure { try KubeConfigLoader(environment: [:]).load(kubeconfig: scratch.path) })
            #expect(failure.file == scratch.path)
            #expect(failure.problem.contains("directory"))
        }
    }
}
