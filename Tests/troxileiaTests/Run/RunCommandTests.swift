import Foundation
import Testing

/// `troxileia run` as a process: flags, serving, graceful shutdown on SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RunCommandTests {
    private func makeCertificates() throws -> URL { try TroxileiaProcess.makeCertificates() }

    private func review(name: String, port: String) -> Data {
        let text = #"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u-\#(name)","#
            + #""kind":{"group":"","version":"v1","kind":"Node"},"resource":{"group":"","version":"v1","resource":"nodes"},"#
            + #""name":"\#(name)","operation":"UPDATE","userInfo":{"groups":["system:masters"]},"#
            + #""object":{"metadata":{"name":"\#(name)","labels":{"port":"\#(port)"}}},"oldObject":{"metadata":{"name":"\#(name)"}}}}"#
        return Data(text.utf8)
    }

    @Test func servesTheWebhookAndStopsCleanlyOnSIGTERM() async throws {
        let certificates = try makeCertificates()
        let run = try RunningTroxileia([
            "run", "--nodes-file", TroxileiaProcess.fixture("clean-nodelist.json"),
            "--tls-cert-file", certificates.appending(path: "tls.crt").path,
            "--tls-key-file", certificates.appending(path: "tls.key").path,
            // A 3 s delay: the two checks made during it need margin when the machine is busy (with 1 s
            // they failed whenever the whole suite ran beside other builds on two cores).
            "--probe-listen", "127.0.0.1:0", "--shutdown-delay", "3s", "--shutdown-grace", "2s", "--log-format", "json",
        ], environment: ["TROXILEIA_WEBHOOK_LISTEN": "127.0.0.1:0"])
        let ports = try await run.listeningPorts()
        let url = "https://127.0.0.1:\(ports.webhook)/validate?timeout=5s"
        let ca = certificates.appending(path: "ca.crt").path

        let allowed = try Curl.request(url, caFile: ca, body: review(name: "worker-09", port: "1_1_x9"))
        #expect(allowed.status == 200)
        #expect(allowed.body.contains(#""allowed":true"#))
        let denied = try Curl.request(url, caFile: ca, body: review(name: "worker-09", port: "1_1_x1"))
        #expect(denied.body.contains(#""allowed":false"#))
        #expect(denied.body.contains("already labelled on node sensor-01"))
        #expect(try await run.waitForLine(containing: "denied node label change").contains(#""admission.reason":"DuplicateTapPort""#))
        #expect(try Curl.request("http://127.0.0.1:\(ports.probes)/readyz").status == 200)

        let stopping = ContinuousClock.now
        run.signal(SIGTERM)
        _ = try await run.waitForLine(containing: "shutting down")
        #expect(try Curl.request("http://127.0.0.1:\(ports.probes)/readyz").status == 503)
        #expect(try Curl.request(url, caFile: ca, body: review(name: "a", port: "1_1_x8")).status == 200, "served during the delay")
        #expect(try await run.waitForExit(timeout: .seconds(10)))
        #expect(run.exitStatus == 0)
        #expect(ContinuousClock.now - stopping < .seconds(8))
        #expect(run.standardError.contains("webhook server stopped"))
    }

    @Test(arguments: [
        (["--nodes-file", "x"], "--tls-cert-file and --tls-key-file are required"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--nodes-file", "x", "--shutdown-delay", "soon"], "--shutdown-delay: \"soon\" is not a duration"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--nodes-file", "x", "--webhook-listen", "8443"], "invalid listen address \"8443\""),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--nodes-file", "x", "--admission-mode", "maybe"], "admission-mode"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--nodes-file", "x", "--port-label", "bad key"], "invalid port label key"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--nodes-file", "x", "--dry-run"], "--nodes-file serves the webhook only"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--tap-host", "tap1", "--tap-password-file", "p"],
         "set one of --tap-known-hosts, --tap-host-key-sha256 or --tap-insecure-skip-host-key-verification"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--tap-host", "tap1", "--tap-password-file", "p", "--tap-known-hosts", "k",
          "--tap-insecure-skip-host-key-verification"], "set only one of"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--tap-host", "tap1", "--tap-known-hosts", "k"], "--tap-password-file or --tap-key-file"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--tap-host-key-sha256", "SHA256:x"], "--tap-host is not"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--tap-host", "t", "--tap-password-file", "p", "--tap-host-key-sha256", "nope"],
         "is not a SHA-256 fingerprint"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--map-alias", "my map"], "--map-alias"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--tool-ports", "1/1/x4..x1"], "--tool-ports"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--sensor-apps", "db training"], "--sensor-apps"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--debounce", "5s", "--debounce-max", "1s"], "--debounce-max must not be shorter"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--max-removal-fraction", "1.5"], "--max-removal-fraction"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--lease-duration", "2s", "--lease-renew-deadline", "5s"], "lease"),
        (["--tls-cert-file", "c", "--tls-key-file", "k", "--namespace", "Bad_NS"], "--namespace"),
    ])
    func refusesBadFlagsWithOneClearError(arguments: [String], message: String) throws {
        let outcome = try TroxileiaProcess.run(["run"] + arguments)
        #expect(outcome.status == 64, "usage error")
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
    }

    @Test func withoutANodesFileItNeedsAClusterAndSaysHowToGiveOne() throws {
        let outcome = try TroxileiaProcess.run(["run", "--tls-cert-file", "c", "--tls-key-file", "k",
                                                "--kubeconfig", "/nonexistent/kubeconfig"])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("failed to start"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("/nonexistent/kubeconfig"), "\(outcome.standardError)")
    }

    @Test func reportsAnUnusableCertificateAtStartup() throws {
        let outcome = try TroxileiaProcess.run([
            "run", "--nodes-file", TroxileiaProcess.fixture("clean-nodelist.json"), "--tls-cert-file", "/nonexistent.crt",
            "--tls-key-file", "/nonexistent.key", "--webhook-listen", "127.0.0.1:0", "--probe-listen", "127.0.0.1:0",
            "--log-format", "json",
        ])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("failed to start the webhook"))
        #expect(outcome.standardError.contains("/nonexistent.crt"))
    }

    @Test func helpExplainsEachFlagAndItsDefault() throws {
        let outcome = try TroxileiaProcess.run(["run", "--help"])
        #expect(outcome.status == 0)
        for flag in ["--webhook-listen", "--probe-listen", "--tls-cert-file", "--max-connections", "--shutdown-delay",
                     "--shutdown-grace", "--admission-mode", "--reservation-ttl", "--log-format", "--log-level", "--nodes-file"] {
            #expect(outcome.standardOutput.contains(flag), "\(flag)")
        }
        #expect(outcome.standardOutput.contains("(default: [::]:8443)"))
    }
}
