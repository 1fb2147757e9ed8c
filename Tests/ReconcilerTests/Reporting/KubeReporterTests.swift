import Foundation
import KubeAPI
import KubeStandIn
import Logging
@testable import Reconciler
import Testing
import TroxileiaCore

/// The status ConfigMap written to the API stand-in: created the first time, merged afterwards.
@Suite(.serialized, .timeLimit(.minutes(1))) struct KubeReporterTests {
    @Test func createsThenUpdatesTheStatusConfigMap() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let standIn = try KubeStandIn(logger: logger)
        let port = try standIn.start()
        let client = try KubeStandIn.client(port: port, logger: logger)
        let recorder = EventRecorder(client: client, configuration: .init(instance: "replica-a"), logger: logger)
        let reporter = KubeReporter(client: client, namespace: "troxileia", recorder: recorder, logger: logger)
        let path = "/api/v1/namespaces/troxileia/configmaps/troxileia-status"

        var status = ReconcilerStatus()
        status.desired = [try TapPort(cli: "1/1/x1")]
        status.leader = "replica-a"
        await reporter.publish(status)
        #expect(try await Self.data(client, path)["desired"] == "1/1/x1")

        status.applied = status.desired
        status.lastError = "failed to connect to the tap at tap1:22: refused"
        await reporter.publish(status)
        let data = try await Self.data(client, path)
        #expect(data["applied"] == "1/1/x1")
        #expect(data["lastError"] == "failed to connect to the tap at tap1:22: refused")
        #expect(ReconcilerStatus(data: data) == status)
        await standIn.shutdown()
    }

    private static func data(_ client: KubeClient, _ path: String) async throws -> [String: String] {
        let response = try await client.send(KubeRequest(path: path))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return object?["data"] as? [String: String] ?? [:]
    }
}
