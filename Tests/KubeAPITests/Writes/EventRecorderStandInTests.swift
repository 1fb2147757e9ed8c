import KubeStandIn
import Logging
import Testing
import TroxileiaCore
@testable import KubeAPI

/// Events written to the API stand-in, which validates them as kube-apiserver does.
@Suite(.serialized, .timeLimit(.minutes(1))) struct EventRecorderStandInTests {
    @Test func createsThenAggregatesRepeatsIntoASeries() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let standIn = try KubeStandIn(logger: logger)
        let port = try standIn.start()
        let client = try KubeStandIn.client(port: port, logger: logger)
        let recorder = EventRecorder(client: client, configuration: .init(instance: "replica-a"), logger: logger)
        let worker = Task { await recorder.run() }
        for _ in 0..<3 {
            recorder.record(.warning, reason: "DuplicateTapPort", note: "tap port 1_1_x3 is labelled on sensor-02 and sensor-04",
                            regarding: .node("sensor-02", uid: "u2"), related: .node("sensor-04", uid: "u4"))
        }
        recorder.record(.normal, reason: "SensorRestored", note: "back", regarding: .node("sensor-01"))
        recorder.finish()
        await worker.value

        let list = try await client.send(KubeRequest(path: "/apis/events.k8s.io/v1/namespaces/default/events"))
        let text = String(decoding: list.body, as: UTF8.self)
        #expect(text.components(separatedBy: #""reason":"DuplicateTapPort""#).count == 2, "one event, not three")
        #expect(text.contains(#""series":{"count":3"#))
        #expect(text.contains(#""reason":"SensorRestored""#))
        #expect(text.contains(#""reportingController":"troxileia.io/reconciler""#))
        await standIn.shutdown()
    }
}
