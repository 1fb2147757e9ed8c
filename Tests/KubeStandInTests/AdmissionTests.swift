import KubeAPI
import KubeStandIn
import Logging
import Synchronization
import Testing
import HTTPServerCore
import Webhook

/// Node writes go through a real validating webhook over HTTP, as with kube-apiserver.
@Suite(.serialized, .timeLimit(.minutes(1))) struct AdmissionTests {
    /// Denies `port=1_1_x1` on any node but sensor-01 (with a warning); allows the rest,
    /// warning about `sensor=true` without a port. Records each AdmissionReview.
    final class TinyWebhook: HTTPResponder {
        let reviews = Mutex<[JSONValue]>([])

        func respond(to request: HTTPRequest) -> HTTPResponse {
            guard request.method == "POST", request.target == "/validate?timeout=5s",
                  let review = try? JSONParser.parse(request.body) else { return .text(400, "bad") }
            reviews.withLock { $0.append(review) }
            let uid = review["request"]?["uid"] ?? .null
            let name = review["request"]?["name"]?.stringValue ?? ""
            let labels = review["request"]?["object"]?["metadata"]?["labels"]?.stringMap ?? [:]
            var answer: [(String, JSONValue)] = [("uid", uid)]
            if labels["port"] == "1_1_x1" && name != "sensor-01" {
                answer += [("allowed", .bool(false)),
                           ("status", .object([("code", .int(403)), ("reason", .string("Forbidden")),
                                               ("message", .string("tap port 1_1_x1 is already labelled on node sensor-01; node \(name) cannot use it"))])),
                           ("warnings", .array([.string("node \(name): duplicate tap port 1_1_x1 (also on sensor-01)")]))]
            } else if labels["sensor"] == "true" && labels["port"] == nil {
                answer += [("allowed", .bool(true)), ("warnings", .array([.string("node \(name) is labelled sensor=true but has no port label")]))]
            } else {
                answer.append(("allowed", .bool(true)))
            }
            let body = JSONValue.object([("apiVersion", .string("admission.k8s.io/v1")), ("kind", .string("AdmissionReview")),
                                         ("response", .object(answer))])
            return .json(200, body.bytes)
        }
    }

    private func withWebhook(_ body: (StandInHarness, TinyWebhook) async throws -> Void) async throws {
        let webhook = TinyWebhook()
        var logger = Logger(label: "webhook-test")
        logger.logLevel = .critical
        let server = HTTPServer(listeners: [.init(name: "webhook", address: ListenAddress(host: "127.0.0.1", port: 0), tls: nil,
                                                  responder: webhook)], observer: WebhookMetrics(), logger: logger)
        let port = try server.start()["webhook"] ?? 0
        do {
            try await StandInHarness.run(configuring: { $0.webhook = .init(url: "http://127.0.0.1:\(port)/validate") }) { harness in
                try harness.seedFixtureNodes()
                try await body(harness, webhook)
            }
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func aDeniedLabelPatchGets403WithTheWebhooksMessageAndWarning() async throws {
        try await withWebhook { harness, webhook in
            let before = harness.standIn.store.resourceVersion
            let response = try await harness.send(.patch, "/api/v1/nodes/sensor-02", body: #"{"metadata":{"labels":{"port":"1_1_x1"}}}"#)
            #expect(response.status == 403)
            let status = KubeStatus.from(response)
            #expect(status.reason == "Forbidden")
            #expect(status.message == #"admission webhook "node-labels.troxileia.io" denied the request: tap port 1_1_x1 is already labelled on node sensor-01; node sensor-02 cannot use it"#)
            #expect(response.headers["warning"] == #"299 - "node sensor-02: duplicate tap port 1_1_x1 (also on sensor-01)""#)
            #expect(harness.standIn.store.resourceVersion == before, "nothing was written")
            let review = try #require(webhook.reviews.withLock { $0.last })
            #expect(review["request"]?["operation"] == .string("UPDATE"))
            #expect(review["request"]?["oldObject"]?["metadata"]?["labels"]?["port"] == .string("1_1_x2"))
            #expect(review["request"]?["object"]?["status"] != nil, "the full object is sent")
        }
    }

    @Test func anAllowedStatusPatchAsKubeletIsWrittenWithItsWarning() async throws {
        try await withWebhook { harness, webhook in
            let response = try await harness.client.send(KubeRequest(
                method: .patch, path: "/api/v1/nodes/worker-01/status?dryRun=All", contentType: "application/merge-patch+json",
                body: Array(#"{"metadata":{"labels":{"sensor":"true"}}}"#.utf8)))
            #expect(response.status == 200)
            #expect(response.headers["warning"]?.contains("has no port label") == true)
            #expect(harness.standIn.store.get(.nodes, namespace: nil, name: "worker-01")?.labels["sensor"] == "false", "dry run")
            let review = try #require(webhook.reviews.withLock { $0.last })
            #expect(review["request"]?["subResource"] == .string("status"))
            #expect(review["request"]?["dryRun"] == .bool(true))
            let kubelet = try await harness.send(.post, "/api/v1/nodes", body: #"{"metadata":{"name":"sensor-07","labels":{"port":"1_1_x7"}}}"#)
            #expect(kubelet.status == 201)
            let create = try #require(webhook.reviews.withLock { $0.last })
            #expect(create["request"]?["operation"] == .string("CREATE"))
            #expect(create["request"]?["oldObject"] == .null)
        }
    }

    @Test func groupsComeFromTheStandInHeader() async throws {
        try await withWebhook { harness, webhook in
            _ = try await harness.send(.patch, "/api/v1/nodes/sensor-01", body: "{}")
            #expect(webhook.reviews.withLock { $0.last }?["request"]?["userInfo"]?["groups"]
                    == .array([.string("system:masters"), .string("system:authenticated")]))
            let reply = try RawHTTP.exchange(port: harness.port, """
                PATCH /api/v1/nodes/sensor-01 HTTP/1.1\r\nHost: x\r\nContent-Type: application/merge-patch+json\r\n\
                X-Standin-User: system:node:sensor-01\r\nX-Standin-Groups: system:nodes\r\n\
                Content-Length: 2\r\nConnection: close\r\n\r\n{}
                """)
            #expect(reply.hasPrefix("HTTP/1.1 200 OK"))
            let userInfo = webhook.reviews.withLock { $0.last }?["request"]?["userInfo"]
            #expect(userInfo?["username"] == .string("system:node:sensor-01"))
            #expect(userInfo?["groups"] == .array([.string("system:nodes"), .string("system:authenticated")]))
        }
    }

    @Test func anUnreachableWebhookFailsTheWriteWith500() async throws {
        try await StandInHarness.run(configuring: { $0.webhook = .init(url: "http://127.0.0.1:1/validate") }) { harness in
            try harness.seedFixtureNodes()
            let response = try await harness.send(.patch, "/api/v1/nodes/sensor-01", body: #"{"metadata":{"labels":{"a":"b"}}}"#)
            #expect(response.status == 500)
            #expect(KubeStatus.from(response).message.hasPrefix(#"Internal error occurred: failed calling webhook "node-labels.troxileia.io""#))
        }
    }

    @Test func aBypassedWebhookIsNotCalledUntilTurnedBackOn() async throws {
        try await withWebhook { harness, webhook in
            #expect(try await harness.send(.post, "/standin/admission?bypass=true").status == 200)
            let before = webhook.reviews.withLock { $0.count }
            #expect(try await harness.send(.patch, "/api/v1/nodes/sensor-01", body: "{}").status == 200)
            #expect(webhook.reviews.withLock { $0.count } == before, "written without review")
            #expect(try await harness.send(.post, "/standin/admission?bypass=maybe").status == 400)
            #expect(try await harness.send(.post, "/standin/admission?bypass=false").status == 200)
            _ = try await harness.send(.patch, "/api/v1/nodes/sensor-01", body: "{}")
            #expect(webhook.reviews.withLock { $0.count } == before + 1)
        }
    }
}
