import KubeAPI
import KubeStandIn
import Testing

/// Responses gzip-compressed as kube-apiserver does (issue 18): whole bodies from the threshold on, only
/// to a client that asks.
@Suite(.serialized, .timeLimit(.minutes(1))) struct GzipTests {
    @Test func aListAtTheThresholdGoesCompressedAndDecodesToTheSameNodes() async throws {
        try await StandInHarness.run(configuring: { $0.gzipThresholdBytes = 0 }) { harness in
            try harness.seedFixtureNodes()
            let response = try await harness.send(.get, "/api/v1/nodes")
            #expect(response.headers["content-encoding"] == "gzip")
            let page = try ListPage.decode(response.body, as: NodeCodec.self)
            #expect(page.items.map(\.key) == ["sensor-01", "sensor-02", "worker-01"])
        }
    }

    @Test func aBodyBelowTheDefaultThresholdGoesPlain() async throws {
        try await StandInHarness.run { harness in
            try harness.seedFixtureNodes()
            let response = try await harness.send(.get, "/api/v1/nodes")
            #expect(response.headers["content-encoding"] == nil)
            #expect(try ListPage.decode(response.body, as: NodeCodec.self).items.count == 3)
        }
    }

    @Test func aClientThatDoesNotAskGetsItPlain() async throws {
        try await StandInHarness.run(configuring: { $0.gzipThresholdBytes = 0 }) { harness in
            try harness.seedFixtureNodes()
            var configuration = CurlTransport.Configuration(server: "http://127.0.0.1:\(harness.port)")
            configuration.allowPlainHTTP = true
            configuration.acceptGzip = false
            let client = try CurlTransport(configuration: configuration)
            let response = try await client.send(KubeRequest(path: "/api/v1/nodes", accept: "application/json"))
            await client.shutdown()
            #expect(response.headers["content-encoding"] == nil)
            #expect(try ListPage.decode(response.body, as: NodeCodec.self).items.count == 3)
        }
    }
}
