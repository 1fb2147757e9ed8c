import Logging
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook
import TestSupport

/// The webhook and probe listeners on 127.0.0.1 with free ports, certificates from
/// `certs/make-certs.sh`, and a `TestInventory`: the real server, as `troxileia run` wires it.
/// `@unchecked Sendable`: the ports are written once by `start()` before any client thread reads
/// them; everything else is immutable or Sendable.
final class TestWebhookServer: @unchecked Sendable {
    let inventory: TestInventory
    let certificates: TestCertificates
    let metrics = WebhookMetrics()
    let readiness: Readiness
    let reservations: PortReservations
    let server: HTTPServer
    let store: CertificateStore
    private(set) var webhookPort: UInt16 = 0
    private(set) var probePort: UInt16 = 0

    /// sensor-01 holds 1_1_x1 and sensor-02 holds 1_1_x2 unless other nodes are given.
    init(nodes: [NodeRecord] = TestWebhookServer.defaultNodes, configure: (inout HTTPServer.Configuration) -> Void = { _ in },
         mode: AdmissionPolicy.Mode = .enforce, certificates: TestCertificates? = nil,
         reservationTTL: Duration = .seconds(10)) throws {
        inventory = TestInventory(nodes)
        self.certificates = try certificates ?? TestCertificates.make()
        store = try CertificateStore(certificateFile: self.certificates.certificateFile, keyFile: self.certificates.keyFile)
        reservations = PortReservations(ttl: reservationTTL)
        let inventory = self.inventory
        readiness = Readiness { inventory.isSynced }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let admission = AdmissionHandler(policy: AdmissionPolicy(mode: mode), inventory: inventory,
                                         reservations: reservations, metrics: metrics, logger: logger)
        var configuration = HTTPServer.Configuration()
        configuration.eventLoopCount = 2
        configuration.tickInterval = .milliseconds(50)
        configure(&configuration)
        server = HTTPServer(configuration: configuration, listeners: [
            .init(name: "webhook", address: ListenAddress(host: "127.0.0.1", port: 0), tls: store,
                  responder: WebhookRoutes(admission: admission, metrics: metrics)),
            .init(name: "probes", address: ListenAddress(host: "127.0.0.1", port: 0), tls: nil,
                  responder: ProbeRoutes(readiness: readiness, metrics: metrics)),
        ], observer: metrics, logger: logger)
    }

    static let defaultNodes = [
        NodeRecord(name: "sensor-01", labels: ["sensor": "true", "port": "1_1_x1"]),
        NodeRecord(name: "sensor-02", labels: ["sensor": "true", "port": "1_1_x2"]),
    ]

    func start() throws {
        let ports = try server.start()
        webhookPort = ports["webhook"] ?? 0
        probePort = ports["probes"] ?? 0
    }

    func stop() async { await server.shutdown() }

    /// A verified TLS connection to the webhook listener.
    func client(alpn: [String] = ["http/1.1"]) throws -> TLSTestClient {
        try TLSTestClient(port: webhookPort, caFile: certificates.caFile, alpn: alpn)
    }

    /// A plain connection to the probe listener.
    func probeClient() throws -> TLSTestClient { try TLSTestClient(port: probePort, caFile: nil) }

    /// The metrics text as the probe listener serves it.
    func metricsText() throws -> String { try probeClient().exchange(method: "GET", path: "/metrics").text }
}
