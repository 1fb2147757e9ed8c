import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

extension ConfigTests {
    /// Token per request: constants, rotating token files, cached and shared exec plugin runs.
    @Suite(.timeLimit(.minutes(1))) struct TokenProviderTests {
        static let token = "exec-secret-token-9c1e"

        private func fileProvider(_ path: String, interval: Duration = .milliseconds(300)) -> TokenProvider {
            var options = TokenProvider.Configuration()
            options.tokenFileCheckInterval = interval
            return TokenProvider(credentials: .tokenFile(path), configuration: options)
        }

        @Test func constantAndNoneCredentials() async throws {
            #expect(try await TokenProvider(credentials: .none).token() == nil)
            let provider = TokenProvider(credentials: .token(SecretText("fixed")))
            #expect(try await provider.token()?.revealed == "fixed")
            #expect(!provider.description.contains("fixed"))
        }

        @Test func tokenFileRotationIsPickedUpAfterTheInterval() async throws {
            let scratch = try ConfigScratch()
            let path = try scratch.write("token", "first-token\n")
            let provider = fileProvider(path)
            #expect(try await provider.token()?.revealed == "first-token")

            try scratch.write("token", "second-token-longer\n")
            // Within the interval the cached token stands; after it, the changed file is read.
            #expect(try await provider.token()?.revealed == "first-token")
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await provider.token()?.revealed == "second-token-longer")

            // The kubelet's way: same size, new inode through a rename.
            try scratch.replace("token", "third-token-xxxxxxx\n")
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await provider.token()?.revealed == "third-token-xxxxxxx")
        }

        @Test func emptyOrMissingTokenFileIsAnError() async throws {
            let scratch = try ConfigScratch()
            let empty = try scratch.write("empty", "\n")
            let emptyFailure = try #require(await configurationFailure { try await fileProvider(empty).token() })
            #expect(emptyFailure.file == empty && emptyFailure.problem.contains("empty"))

            let missing = scratch.file("missing")
            let missingFailure = try #require(await configurationFailure { try await fileProvider(missing).token() })
            #expect(missingFailure.file == missing && missingFailure.problem.contains("does not exist"))
        }

        @Test func vanishedFileKeepsTheLastTokenUntilInvalidated() async throws {
            let scratch = try ConfigScratch()
            let path = try scratch.write("token", "kept-token")
            let provider = fileProvider(path, interval: .milliseconds(50))
            #expect(try await provider.token()?.revealed == "kept-token")
            try FileManager.default.removeItem(atPath: path)
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await provider.token()?.revealed == "kept-token")

            provider.invalidate()
            let failure = try #require(await configurationFailure { try await provider.token() })
            #expect(failure.file == path && !failure.description.contains("kept-token"))
        }

        @Test func invalidateRereadsTheFileAtOnce() async throws {
            let scratch = try ConfigScratch()
            let path = try scratch.write("token", "old-token")
            let provider = fileProvider(path, interval: .seconds(60))
            #expect(try await provider.token()?.revealed == "old-token")
            try scratch.write("token", "new-token")
            provider.invalidate()
            #expect(try await provider.token()?.revealed == "new-token")
        }

        @Test func execTokenWithoutExpiryIsCached() async throws {
            let plugin = try PluginScript(PluginScript.printCredential(token: Self.token))
            let provider = plugin.provider()
            #expect(try await provider.token()?.revealed == Self.token)
            #expect(try await provider.token()?.revealed == Self.token)
            #expect(plugin.runs == 1)
            #expect(!provider.description.contains(Self.token))
        }

        @Test func execTokenIsRefreshedAfterItsExpiry() async throws {
            // Far enough ahead that two calls (each may start a shell on a loaded machine) come before it.
            let expiry = Date(timeIntervalSinceNow: 5)
            let plugin = try PluginScript(PluginScript.printCredential(token: Self.token, expiration: expiry))
            let provider = plugin.provider()
            _ = try await provider.token()
            _ = try await provider.token()
            #expect(plugin.runs == 1)
            try await Task.sleep(for: .seconds(max(0, expiry.timeIntervalSinceNow) + 0.2))
            _ = try await provider.token()
            #expect(plugin.runs == 2)
        }

        @Test func concurrentCallersShareOneRun() async throws {
            let plugin = try PluginScript("sleep 0.5\n" + PluginScript.printCredential(token: Self.token))
            let provider = plugin.provider()
            let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<10 { group.addTask { try await provider.token()?.revealed } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(tokens == Array(repeating: Self.token, count: 10))
            #expect(plugin.runs == 1)
        }

        @Test func invalidateRunsThePluginAgain() async throws {
            let plugin = try PluginScript(PluginScript.printCredential(token: Self.token))
            let provider = plugin.provider()
            _ = try await provider.token()
            provider.invalidate()
            _ = try await provider.token()
            #expect(plugin.runs == 2)
        }

        @Test func failedRunIsNotCached() async throws {
            let plugin = try PluginScript("echo 'temporarily unavailable' >&2\nexit 1")
            let provider = plugin.provider()
            #expect(await configurationFailure { try await provider.token() } != nil)
            #expect(await configurationFailure { try await provider.token() } != nil)
            #expect(plugin.runs == 2)
        }

        @Test func hangingPluginThroughTheProviderFailsWithinTheTimeout() async throws {
            let plugin = try PluginScript("sleep 30")
            let failure = try #require(await configurationFailure { try await plugin.provider(timeout: .milliseconds(300)).token() })
            #expect(failure.problem.contains("did not finish within 0.3s"))
        }

        @Test func execFromAKubeconfigEndToEnd() async throws {
            let scratch = try ConfigScratch()
            let script = try scratch.write("plugin.sh", PluginScript.printCredential(token: Self.token))
            let user = "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: /bin/sh\n  args: [\(script)]"
            let settings = try KubeconfigFixtures.load(KubeconfigFixtures.kubeconfig(user: user), in: scratch)
            let provider = TokenProvider(credentials: settings.credentials)
            #expect(try await provider.token()?.revealed == Self.token)
            #expect(!settings.description.contains(Self.token) && !"\(settings.credentials)".contains(Self.token))
        }
    }
}
