import ArgumentParser
import Logging
import TroxileiaCore
import HTTPServerCore
import Webhook

/// The webhook server's flags (DESIGN.md configuration table), shared by `run` and later commands.
struct WebhookOptions: ParsableArguments {
    @Option(help: "TLS listener for kube-apiserver (POST /validate).")
    var webhookListen = "[::]:8443"

    @Option(help: "Plain-HTTP listener for /healthz, /readyz and /metrics.")
    var probeListen = "[::]:8081"

    @Option(help: "PEM serving certificate (chain); reloaded within 2 s when it changes.")
    var tlsCertFile: String?

    @Option(help: "PEM private key of the serving certificate (unencrypted).")
    var tlsKeyFile: String?

    @Option(help: "Open connections at most; more are closed at once.")
    var maxConnections = 1024

    @Option(help: "After SIGTERM, keep serving this long while endpoints update.")
    var shutdownDelay = "5s"

    @Option(help: "Then drain for at most this long before closing what is left.")
    var shutdownGrace = "10s"

    @Option(help: "Close a connection whose request headers take longer than this.")
    var headerReadTimeout = "5s"

    @Option(help: "Close a keep-alive connection idle this long (longer than kube-apiserver's 90 s).")
    var idleTimeout = "120s"

    @Option(help: "Largest request header section, in bytes (431 beyond).")
    var maxHeaderBytes = 16 * 1024

    @Option(help: "Largest request body, in bytes (413 beyond).")
    var maxBodyBytes = 7 * 1024 * 1024

    @Option(help: "Event-loop threads (default: one per core).")
    var eventLoops: Int?

    static let environmentTwins: [EnvironmentTwins.Twin] = [
        "webhook-listen", "probe-listen", "tls-cert-file", "tls-key-file", "max-connections", "shutdown-delay",
        "shutdown-grace", "header-read-timeout", "idle-timeout", "max-header-bytes", "max-body-bytes", "event-loops",
    ].map { EnvironmentTwins.Twin(flag: $0, kind: .option) }

    func validate() throws {
        for (flag, value) in [("--webhook-listen", webhookListen), ("--probe-listen", probeListen)] {
            do { _ = try ListenAddress(value) } catch { throw ValidationError("\(flag): \(error)") }
        }
        guard tlsCertFile != nil, tlsKeyFile != nil else {
            throw ValidationError("--tls-cert-file and --tls-key-file are required (make a pair with certs/make-certs.sh)")
        }
        for (flag, value) in [("--shutdown-delay", shutdownDelay), ("--shutdown-grace", shutdownGrace),
                              ("--header-read-timeout", headerReadTimeout), ("--idle-timeout", idleTimeout)] {
            guard let duration = DurationText.parse(value) else { throw ValidationError("\(flag): \"\(value)\" is not a duration (e.g. 5s)") }
            if flag.hasSuffix("timeout"), duration <= .zero { throw ValidationError("\(flag) must be positive") }
        }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        guard maxHeaderBytes >= 1024 else { throw ValidationError("--max-header-bytes must be at least 1024") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        if let eventLoops, !(1...64).contains(eventLoops) { throw ValidationError("--event-loops must be 1–64") }
    }

    /// Loads the certificate and builds the server and its service. Call after `validate()`.
    func makeService(policy: AdmissionPolicy, inventory: any NodeInventory, reservations: PortReservations,
                     claims: PortClaimGate?, metrics: WebhookMetrics, logger: Logger,
                     tapPorts: TapPortCatalog? = nil) throws -> WebhookService {
        let certificates = try CertificateStore(certificateFile: tlsCertFile ?? "", keyFile: tlsKeyFile ?? "")
        metrics.certificateExpires(at: certificates.expiresAt)
        let watcher = CertificateWatcher(store: certificates) { outcome in
            metrics.certificateLoaded(outcome)
            switch outcome {
            case .reloaded(let expiresAt):
                logger.info("reloaded the serving certificate", metadata: ["certificate.expires_at": "\(expiresAt)"])
            case .failed(let error):
                logger.error("failed to reload the serving certificate; the previous one keeps serving",
                             metadata: ["error": "\(error)"])
            case .unchanged: break
            }
        }
        let readiness = Readiness { inventory.isSynced }
        let admission = AdmissionHandler(policy: policy, inventory: inventory, reservations: reservations,
                                         claims: claims, metrics: metrics, logger: logger, tapPorts: tapPorts)
        var configuration = HTTPServer.Configuration()
        configuration.maxConnections = maxConnections
        configuration.headerReadTimeout = DurationText.parse(headerReadTimeout) ?? .seconds(5)
        configuration.idleTimeout = DurationText.parse(idleTimeout) ?? .seconds(120)
        configuration.parser.maxHeaderBytes = maxHeaderBytes
        configuration.parser.maxBodyBytes = maxBodyBytes
        if let eventLoops { configuration.eventLoopCount = eventLoops }
        let server = HTTPServer(configuration: configuration, listeners: [
            .init(name: "webhook", address: try ListenAddress(webhookListen), tls: certificates,
                  responder: WebhookRoutes(admission: admission, metrics: metrics)),
            .init(name: "probes", address: try ListenAddress(probeListen), tls: nil,
                  responder: ProbeRoutes(readiness: readiness, metrics: metrics)),
        ], observer: metrics, logger: logger)
        return WebhookService(
            configuration: .init(shutdownDelay: DurationText.parse(shutdownDelay) ?? .seconds(5),
                                 shutdownGrace: DurationText.parse(shutdownGrace) ?? .seconds(10)),
            server: server, readiness: readiness, certificateWatchers: [watcher], logger: logger)
    }
}
