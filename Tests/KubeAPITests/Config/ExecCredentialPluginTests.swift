import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

extension ConfigTests {
    /// Running real plugin scripts: bounds, failures and what their errors show.
    @Suite(.timeLimit(.minutes(1))) struct ExecCredentialPluginTests {
        static let token = "exec-secret-token-5f3a"

        @Test func returnsThePrintedToken() async throws {
            let plugin = try PluginScript(PluginScript.printCredential(token: Self.token, expiration: Date(timeIntervalSinceNow: 3600)))
            let credential = try await ExecCredentialPlugin(configuration: plugin.configuration).run()
            #expect(credential.token.revealed == Self.token)
            #expect(abs((credential.expiration ?? .distantPast).timeIntervalSinceNow - 3600) < 5)
        }

        @Test func hangingPluginIsKilledAfterTheTimeout() async throws {
            let plugin = try PluginScript("echo 'waiting for a browser' >&2\nsleep 30 &\nwait")
            let started = ContinuousClock.now
            let failure = try #require(await configurationFailure {
                try await ExecCredentialPlugin(configuration: plugin.configuration, timeout: .milliseconds(500)).run()
            })
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(failure.problem.contains("did not finish within 0.5s and was killed"))
            #expect(failure.problem.contains("waiting for a browser"))
            #expect(failure.file == plugin.scratch.file("config.yaml") && failure.field == "users[main].user.exec")
        }

        @Test func garbageOutputShowsStderrButNotStdout() async throws {
            let plugin = try PluginScript("echo 'token lookup failed: no session' >&2\necho 'this is not json \(Self.token)'")
            let failure = try #require(await configurationFailure { try await ExecCredentialPlugin(configuration: plugin.configuration).run() })
            #expect(failure.problem.contains("other than an ExecCredential"))
            #expect(failure.problem.contains("stderr: token lookup failed: no session"))
            #expect(!failure.description.contains("not json") && !failure.description.contains(Self.token))
        }

        @Test func nonZeroExitShowsStderr() async throws {
            let plugin = try PluginScript("echo 'error: login required' >&2\nexit 3")
            let failure = try #require(await configurationFailure { try await ExecCredentialPlugin(configuration: plugin.configuration).run() })
            #expect(failure.problem.contains("exited with status 3; stderr: error: login required"))
        }

        @Test func longStderrIsTruncatedToItsEnd() async throws {
            let plugin = try PluginScript("""
                i=0
                while [ $i -lt 2000 ]; do echo "noise line $i" >&2; i=$((i+1)); done
                echo 'final reason' >&2
                exit 1
                """)
            let failure = try #require(await configurationFailure { try await ExecCredentialPlugin(configuration: plugin.configuration).run() })
            #expect(failure.problem.contains("stderr: …"))
            #expect(failure.problem.hasSuffix("final reason"))
            #expect(!failure.problem.contains("noise line 0 "))
            #expect(failure.description.utf8.count < 1600)
        }

        @Test func hugeOutputIsRefused() async throws {
            let plugin = try PluginScript("yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            let failure = try #require(await configurationFailure {
                try await ExecCredentialPlugin(configuration: plugin.configuration, maximumOutput: 1 << 20).run()
            })
            #expect(failure.problem.contains("wrote more than 1 MiB to stdout and was killed"))
        }

        @Test func wrongAPIVersionIsRefusedWithoutTheToken() async throws {
            let plugin = try PluginScript(PluginScript.printCredential(token: Self.token, apiVersion: ExecCredentialPlugin.apiVersionV1Beta1))
            let failure = try #require(await configurationFailure { try await ExecCredentialPlugin(configuration: plugin.configuration).run() })
            #expect(failure.problem.contains("apiVersion \"client.authentication.k8s.io/v1beta1\""))
            #expect(!failure.description.contains(Self.token))
        }

        @Test func clientCertificateCredentialsAreNotSupported() async throws {
            let plugin = try PluginScript("""
                printf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"x","clientKeyData":"y"}}'
                """)
            let failure = try #require(await configurationFailure { try await ExecCredentialPlugin(configuration: plugin.configuration).run() })
            #expect(failure.problem.contains("client certificate credentials from exec are not supported"))
        }

        @Test func malformedExpiryIsRefused() async throws {
            let plugin = try PluginScript("""
                printf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"\(Self.token)","expirationTimestamp":"tomorrow"}}'
                """)
            let failure = try #require(await configurationFailure { try await ExecCredentialPlugin(configuration: plugin.configuration).run() })
            #expect(failure.problem.contains("\"tomorrow\" is not an RFC 3339 time"))
            #expect(!failure.description.contains(Self.token))
        }

        @Test func missingCommandShowsTheInstallHint() async throws {
            let configuration = ExecCredentialPlugin.Configuration(command: "troxileia-no-such-plugin",
                                                                   installHint: "Install it with: apt install troxileia-auth")
            let failure = try #require(await configurationFailure { try await ExecCredentialPlugin(configuration: configuration).run() })
            #expect(failure.problem.contains("not found"))
            #expect(failure.problem.contains("Install it with: apt install troxileia-auth"))
        }

        @Test func passesEnvironmentExecInfoAndNoTerminal() async throws {
            let plugin = try PluginScript("""
                if [ -t 0 ]; then echo 'stdin is a terminal' >&2; exit 1; fi
                cat > /dev/null
                printf '%s' "$KUBERNETES_EXEC_INFO" > "$(dirname "$0")/info.json"
                printf '%s' "$REGION" > "$(dirname "$0")/region"
                \(PluginScript.printCredential(token: Self.token))
                """, environment: [.init(name: "REGION", value: "eu-1")],
                cluster: .init(server: "https://k8s.example:6443", certificateAuthorityData: Array("PEM".utf8)))
            _ = try await ExecCredentialPlugin(configuration: plugin.configuration).run()

            #expect(try String(contentsOfFile: plugin.scratch.file("region"), encoding: .utf8) == "eu-1")
            let info = try String(contentsOfFile: plugin.scratch.file("info.json"), encoding: .utf8)
            #expect(info == """
                {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"cluster":\
                {"certificate-authority-data":"UEVN","insecure-skip-tls-verify":false,"server":"https://k8s.example:6443"},\
                "interactive":false}}
                """)
        }

        @Test(arguments: ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000Z", "2030-01-01T02:00:00+02:00"])
        func parsesRFC3339(text: String) throws {
            let expected = Date(timeIntervalSince1970: 1_893_456_000)
            #expect(ExecCredentialPlugin.parseRFC3339(text) == expected)
        }
    }
}
