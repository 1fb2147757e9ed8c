import Foundation
import Testing
import TestSupport

/// Issue 12, fault 1, as a user meets it: `troxileia run` out of file descriptors must neither spin
/// nor flood the log, and must serve again by itself once descriptors are free.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RunCommandDescriptorsTests {
    /// RLIMIT_NOFILE 64 and 100 connections to the probe port: over 5 s under 10 % of one core
    /// (it was 100 % of both) and a few log lines (it was 179,374 in 3 s); then a normal request.
    @Test func outOfDescriptorsItStaysQuietAndServesAgain() async throws {
        let certificates = try TroxileiaProcess.makeCertificates()
        let run = try RunningTroxileia([
            "run", "--nodes-file", TroxileiaProcess.fixture("clean-nodelist.json"),
            "--tls-cert-file", certificates.appending(path: "tls.crt").path,
            "--tls-key-file", certificates.appending(path: "tls.key").path,
            "--probe-listen", "127.0.0.1:0", "--shutdown-delay", "0s", "--log-format", "json",
        ], environment: ["TROXILEIA_WEBHOOK_LISTEN": "127.0.0.1:0"], fileLimit: 64)
        let ports = try await run.listeningPorts()
        let crowd = try (0..<100).map { _ in try Loopback.connect(port: ports.probes) }
        _ = try await run.waitForLine(containing: "failed to accept connection")
        let linesBefore = run.standardError.split(separator: "\n").count
        let cpuBefore = try run.cpuTime
        try await Task.sleep(for: .seconds(5))
        let cpu = try run.cpuTime - cpuBefore
        let lines = run.standardError.split(separator: "\n").count - linesBefore
        print("out of descriptors for 5 s: \(cpu) of CPU, \(lines) log lines")
        #expect(cpu < .milliseconds(500), "under 10 % of one core while out of descriptors: \(cpu) in 5 s")
        #expect(lines <= 3, "a few log lines, not a flood: \(lines)")

        for descriptor in crowd { close(descriptor) }
        var status = 0
        for _ in 0..<50 where status != 200 {
            status = try Curl.request("http://127.0.0.1:\(ports.probes)/healthz").status
            if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(status == 200, "served again once descriptors are free")
        let metrics = try Curl.request("http://127.0.0.1:\(ports.probes)/metrics").body
        #expect(metrics.contains(#"troxileia_webhook_accept_backoffs_total{listener="probes"}"#))
        #expect(try await run.waitForLine(containing: "accepting connections again").contains("probes"))
        run.signal(SIGTERM)
        #expect(try await run.waitForExit(timeout: .seconds(10)))
        try? FileManager.default.removeItem(at: certificates)
    }
}
