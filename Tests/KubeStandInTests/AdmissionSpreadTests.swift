import KubeAPI
import KubeStandIn
import Logging
import Synchronization
import Testing
import HTTPServerCore
import Webhook

/// The admission caller spreads calls over several webhook URLs, as kube-apiserver spreads them
/// over the endpoints of the webhook's Service.
@Suite(.serialized, .timeLimit(.minutes(1))) struct AdmissionSpreadTests {
    /// Allows everything and counts its calls.
    final class CountingWebhook: HTTPResponder {
        let calls = Mutex(0)
        func respond(to request: HTTPRequest) -> HTTPResponse {
            calls.withLock { $0 += 1 }
            let uid = (try? JSONParser.parse(request.body))?["request"]?["uid"] ?? .null
            return .json(200, JSONValue.object([("apiVersion", .string("admission.k8s.io/v1")), ("kind", .string("AdmissionReview")),
                                                ("response", .object([("uid", uid), ("allowed", .bool(true))]))]).bytes)
        }
    }

    private func withReplicas(_ spread: KubeStandIn.WebhookSettings.Spread,
                              _ body: (StandInHarness, [CountingWebhook]) async throws -> Void) async throws {
        var logger = Logger(label: "spread-test")
        logger.logLevel = .critical
        let webhooks = [CountingWebhook(), CountingWebhook(), CountingWebhook()]
        var servers: [HTTPServer] = []
        var urls: [String] = []
        for webhook in webhooks {
            let server = HTTPServer(listeners: [.init(name: "webhook", address: ListenAddress(host: "127.0.0.1", port: 0), tls: nil,
                                                      responder: webhook)], observer: SilentServerObserver(), logger: logger)
            urls.append("http://127.0.0.1:\(try server.start()["webhook"] ?? 0)/validate")
            servers.append(server)
        }
        do {
            try await StandInHarness.run(configuring: { $0.webhook = .init(urls: urls, spread: spread) }) { harness in
                try harness.seedFixtureNodes()
                try await body(harness, webhooks)
            }
        } catch {
            for server in servers { await server.shutdown() }
            throw error
        }
        for server in servers { await server.shutdown() }
    }

    @Test func roundRobinCallsEachURLInTurn() async throws {
        try await withReplicas(.roundRobin) { harness, webhooks in
            for index in 0..<9 {
                let response = try await harness.send(.patch, "/api/v1/nodes/worker-01", body: #"{"metadata":{"labels":{"n":"\#(index)"}}}"#)
                #expect(response.status == 200)
            }
            #expect(webhooks.map { $0.calls.withLock { $0 } } == [3, 3, 3])
        }
    }

    @Test func randomReachesEveryURL() async throws {
        try await withReplicas(.random) { harness, webhooks in
            for index in 0..<60 {
                _ = try await harness.send(.patch, "/api/v1/nodes/worker-01", body: #"{"metadata":{"labels":{"n":"\#(index)"}}}"#)
            }
            let calls = webhooks.map { $0.calls.withLock { $0 } }
            #expect(calls.reduce(0, +) == 60)
            #expect(calls.allSatisfy { $0 > 0 }, "\(calls)")
        }
    }

    @Test func aDeleteWithAStaleVersionPreconditionIsAConflict() async throws {
        try await StandInHarness.run { harness in
            let created = try await harness.send(.post, "/apis/coordination.k8s.io/v1/namespaces/ns/leases",
                                                 body: #"{"metadata":{"name":"claim"},"spec":{"holderIdentity":"a"}}"#)
            #expect(created.status == 201)
            let version = harness.standIn.store.get(.leases, namespace: "ns", name: "claim")?.resourceVersion ?? 0
            let stale = try await harness.send(.delete, "/apis/coordination.k8s.io/v1/namespaces/ns/leases/claim",
                                               body: #"{"preconditions":{"resourceVersion":"\#(version - 1)"}}"#)
            #expect(stale.status == 409)
            #expect(KubeStatus.from(stale).reason == "Conflict")
            let current = try await harness.send(.delete, "/apis/coordination.k8s.io/v1/namespaces/ns/leases/claim",
                                                 body: #"{"preconditions":{"resourceVersion":"\#(version)"}}"#)
            #expect(current.status == 200)
            #expect(harness.standIn.store.get(.leases, namespace: "ns", name: "claim") == nil)
        }
    }
}
