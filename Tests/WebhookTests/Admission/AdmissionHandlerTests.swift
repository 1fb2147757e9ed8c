import Logging
import Testing
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook

@Suite struct AdmissionHandlerTests {
    private func handler(_ nodes: [NodeRecord], mode: AdmissionPolicy.Mode = .enforce,
                         reservations: PortReservations = PortReservations()) -> AdmissionHandler {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return AdmissionHandler(policy: AdmissionPolicy(mode: mode), inventory: TestInventory(nodes),
                                reservations: reservations, metrics: WebhookMetrics(), logger: logger)
    }

    private let cluster = [
        NodeRecord(name: "sensor-01", labels: ["port": "1_1_x1", "sensor": "true"]),
        NodeRecord(name: "sensor-04", labels: ["port": "1_1_x4", "sensor": "true"]),
    ]

    /// The captured requests, answered as the capture's kubectl output shows.
    @Test(arguments: [
        ("01-create-node-with-labels.json", true, nil as String?, 0),
        ("02-label-port-added.json", true, nil, 0),
        ("04-status-subresource-label-change.json", true, nil, 1),
        ("05-label-dry-run-server.json", true, nil, 1),
        ("06-label-denied-with-message-and-warning.json", false, "tap port 1_1_x1 is already labelled on node sensor-01; node sensor-04 cannot use it", 0),
        ("07-create-allowed-with-warning.json", true, nil, 1),
        ("08-label-port-removed.json", true, nil, 1),
        ("09-create-node-port-label-only.json", true, nil, 0),
    ])
    func answersTheCapturedRequests(fixture: String, allowed: Bool, message: String?, warnings: Int) throws {
        let body = try ReviewBuilder.fixture(fixture)
        let review = try AdmissionReview.decode(body)
        let http = handler(cluster).respond(toBody: body)
        #expect(http.status == 200)
        let response = try #require(ReviewBuilder.response(http.body))
        #expect(response["uid"] as? String == review.uid)
        #expect(response["allowed"] as? Bool == allowed)
        if let message {
            let status = try #require(response["status"] as? [String: Any])
            #expect(status["code"] as? Int == 403)
            #expect((status["message"] as? String)?.contains(message) == true)
        }
        #expect((response["warnings"] as? [String] ?? []).count == warnings, "\(response)")
    }

    @Test func answersMalformedBodiesWith400AndAReason() {
        let response = handler(cluster).respond(toBody: Array("{not json".utf8))
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix(#"{"error":"the body is not valid JSON"#))
    }

    @Test func allowsWhatItHasNoOpinionOn() throws {
        let delete = ReviewBuilder.review(name: "sensor-09", operation: "DELETE", new: ["port": "bad"])
        #expect(ReviewBuilder.response(handler(cluster).respond(toBody: delete).body)?["allowed"] as? Bool == true)
    }

    @Test func aDryRunReservesNothing() {
        let reservations = PortReservations()
        let handler = handler(cluster, reservations: reservations)
        let dry = ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"], dryRun: true)
        #expect(ReviewBuilder.response(handler.respond(toBody: dry).body)?["allowed"] as? Bool == true)
        #expect(reservations.count == 0)
        let other = ReviewBuilder.review(name: "b", new: ["port": "1_1_x9"])
        #expect(ReviewBuilder.response(handler.respond(toBody: other).body)?["allowed"] as? Bool == true)
        #expect(reservations.count == 1)
    }

    @Test func aReservationRefusesAnotherNodeButNotTheSameOne() {
        let handler = handler(cluster)
        let first = ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"])
        let retry = ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"])
        let rival = ReviewBuilder.review(name: "b", new: ["port": "1_1_x9"])
        #expect(ReviewBuilder.response(handler.respond(toBody: first).body)?["allowed"] as? Bool == true)
        #expect(ReviewBuilder.response(handler.respond(toBody: retry).body)?["allowed"] as? Bool == true)
        let denied = ReviewBuilder.response(handler.respond(toBody: rival).body)
        #expect(denied?["allowed"] as? Bool == false)
        #expect(((denied?["status"] as? [String: Any])?["message"] as? String)?.contains("already labelled on node a") == true)
    }

    @Test func aReservationEndsAfterItsTTL() async throws {
        let handler = handler(cluster, reservations: PortReservations(ttl: .milliseconds(100)))
        _ = handler.respond(toBody: ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))
        try await Task.sleep(for: .milliseconds(200))
        let rival = ReviewBuilder.review(name: "b", new: ["port": "1_1_x9"])
        #expect(ReviewBuilder.response(handler.respond(toBody: rival).body)?["allowed"] as? Bool == true)
    }

    @Test func aReservationEndsWhenTheInventoryConfirmsIt() {
        let reservations = PortReservations()
        let inventory = TestInventory(cluster)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let handler = AdmissionHandler(policy: AdmissionPolicy(), inventory: inventory, reservations: reservations,
                                       metrics: WebhookMetrics(), logger: logger)
        _ = handler.respond(toBody: ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))
        #expect(reservations.count == 1)
        inventory.set(cluster + [NodeRecord(name: "a", labels: ["port": "1_1_x9"])])
        _ = handler.respond(toBody: ReviewBuilder.review(name: "c", new: ["port": "1_1_x8"]))
        #expect(reservations.count == 1, "a's reservation confirmed and dropped; c's made")
    }

    @Test func warnModeAllowsWithTheDenialAsWarning() {
        let body = ReviewBuilder.review(name: "x", new: ["port": "1_1_x1"])
        let response = ReviewBuilder.response(handler(cluster, mode: .warn).respond(toBody: body).body)
        #expect(response?["allowed"] as? Bool == true)
        #expect((response?["warnings"] as? [String])?.first?.hasPrefix("would be denied in enforce mode") == true)
    }

    @Test func kubeletCreateWithBadLabelsIsAllowedWithWarnings() {
        let body = ReviewBuilder.review(name: "k", operation: "CREATE", old: nil, new: ["port": "1/1/x1"],
                                        groups: ["system:nodes", "system:authenticated"])
        let response = ReviewBuilder.response(handler(cluster).respond(toBody: body).body)
        #expect(response?["allowed"] as? Bool == true)
        #expect((response?["warnings"] as? [String])?.count == 1)
    }
}
