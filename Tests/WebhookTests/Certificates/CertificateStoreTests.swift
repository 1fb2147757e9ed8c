import Foundation
import Testing
@testable import HTTPServerCore
@testable import Webhook
import TestSupport

@Suite(.serialized, .timeLimit(.minutes(2))) struct CertificateStoreTests {
    @Test func loadsAPairAndReportsItsExpiry() throws {
        let certificates = try TestCertificates.make(["--days", "2"])
        let store = try CertificateStore(certificateFile: certificates.certificateFile, keyFile: certificates.keyFile)
        let expected = Date().timeIntervalSince1970 + 2 * 86_400
        #expect(abs(Double(store.expiresAt) - expected) < 120)
    }

    @Test(arguments: ["missing", "empty", "garbage", "mismatched"])
    func refusesABrokenPair(kind: String) throws {
        let certificates = try TestCertificates.make()
        let other = try TestCertificates.make()
        let key = certificates.keyFile
        switch kind {
        case "missing": try FileManager.default.removeItem(atPath: key)
        case "empty": try Data().write(to: URL(filePath: key))
        case "garbage": try Data("-----BEGIN PRIVATE KEY-----\nnope\n".utf8).write(to: URL(filePath: key))
        default: try FileManager.default.removeItem(atPath: key); try FileManager.default.copyItem(atPath: other.keyFile, toPath: key)
        }
        #expect(throws: TLSError.self) {
            try CertificateStore(certificateFile: certificates.certificateFile, keyFile: key)
        }
    }

    /// New handshakes get a new certificate (a new CA here, so the client can tell), an open
    /// connection keeps working, and a broken pair keeps the old one serving.
    @Test func reloadsChangedFilesAndKeepsTheOldPairWhenTheNewOneIsBroken() async throws {
        let first = try TestCertificates.make()
        let server = try TestWebhookServer(certificates: first)
        try server.start()
        defer { Task { await server.stop() } }
        let metrics = server.metrics
        let watcher = CertificateWatcher(store: server.store, interval: .milliseconds(200)) { metrics.certificateLoaded($0) }
        watcher.start()
        defer { watcher.stop() }
        let open = try server.client()
        #expect(try open.exchange(body: ReviewBuilder.review(name: "a", new: [:])).status == 200)

        // Replace the pair the way kubelet does: new files, then one atomic symlink-free rename each.
        let second = try TestCertificates.make()
        try replace(first.keyFile, with: second.keyFile)
        try replace(first.certificateFile, with: second.certificateFile)
        try await waitUntil { (try? TLSTestClient(port: server.webhookPort, caFile: second.caFile)) != nil }
        #expect((try? TLSTestClient(port: server.webhookPort, caFile: first.caFile)) == nil, "old CA no longer matches")
        #expect(try open.exchange(body: ReviewBuilder.review(name: "b", new: [:])).status == 200, "open connection untouched")
        #expect(try server.metricsText().contains(#"troxileia_webhook_certificate_reloads_total{result="success"}"#))
        let expiry = try server.metricsText().split(separator: "\n")
            .first { $0.hasPrefix("troxileia_webhook_certificate_expiry_timestamp_seconds ") }
        #expect(expiry.flatMap { Double($0.split(separator: " ").last ?? "") } == Double(server.store.expiresAt),
                "the expiry of the new certificate is exposed")

        // A broken key: the second pair keeps serving and the failure is visible.
        try Data("not a key".utf8).write(to: URL(filePath: first.keyFile))
        try await waitUntil { (try? server.metricsText().contains(#"certificate_reloads_total{result="failure"} 1"#)) == true }
        #expect(try server.metricsText().contains("troxileia_webhook_certificate_reload_failing 1"))
        #expect((try? TLSTestClient(port: server.webhookPort, caFile: second.caFile)) != nil)
    }

    private func replace(_ path: String, with source: String) throws {
        let staging = path + ".new"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: source, toPath: staging)
        guard rename(staging, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    private func waitUntil(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("condition not met within \(timeout)")
    }
}
