import ArgumentParser
import Logging
import ServiceLifecycle
import TroxileiaCore
import Webhook

/// `troxileia run`: the in-cluster job. This build serves the validating webhook (TLS) and
/// the probe listener, deciding against the nodes of `--nodes-file`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve the validating admission webhook (and probes and metrics).",
        discussion: """
            Durations read 500ms, 3s, 5m. Every flag can also be set by its environment twin: \
            TROXILEIA_<FLAG_IN_UPPER_SNAKE>, e.g. TROXILEIA_WEBHOOK_LISTEN for --webhook-listen.
            """
    )

    @OptionGroup var webhook: WebhookOptions

    @Option(help: "Admission decisions: enforce (deny) or warn (allow with a warning).")
    var admissionMode: AdmissionPolicy.Mode = .enforce

    @Option(help: "How long an admitted port claim is held against other nodes until the node list shows it.")
    var reservationTTL = "10s"

    @Option(help: "Label key of the sensor flag.")
    var sensorLabel = LabelKeys.default.sensor

    @Option(help: "Label key of the tap port.")
    var portLabel = LabelKeys.default.port

    @Option(help: "Decide against the nodes of this NodeList file (JSON or YAML) instead of a cluster.")
    var nodesFile: String?

    @Option(help: "Log format: json or text (default: json unless standard error is a terminal).")
    var logFormat: LogSetup.Format?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    static var environmentTwins: [EnvironmentTwins.Twin] {
        WebhookOptions.environmentTwins + [
            .init(flag: "admission-mode", kind: .option), .init(flag: "reservation-ttl", kind: .option),
            .init(flag: "sensor-label", kind: .option), .init(flag: "port-label", kind: .option),
            .init(flag: "nodes-file", kind: .option), .init(flag: "log-format", kind: .option),
            .init(flag: "log-level", kind: .option),
        ]
    }

    func validate() throws {
        try webhook.validate()
        guard DurationText.parse(reservationTTL) != nil else { throw ValidationError("--reservation-ttl: \"\(reservationTTL)\" is not a duration (e.g. 10s)") }
        do {
            try LabelKeys(sensor: sensorLabel, port: portLabel).validate()
        } catch {
            throw ValidationError(error.description)
        }
        guard nodesFile != nil else {
            throw ValidationError("--nodes-file is required: this build decides against a NodeList file (the cluster source comes with the reconciler)")
        }
    }

    func run() async throws {
        LogSetup.bootstrap(format: logFormat ?? LogSetup.defaultFormat, level: logLevel)
        let logger = Logger(label: "troxileia")
        let keys = LabelKeys(sensor: sensorLabel, port: portLabel)
        let inventory: any NodeInventory
        do {
            inventory = try NodeFileInventory(path: nodesFile ?? "", keys: keys)
        } catch {
            logger.critical("failed to load the nodes file", metadata: ["file": "\(nodesFile ?? "")", "error": "\(error)"])
            throw ExitCode.failure
        }
        let reservations = PortReservations(ttl: DurationText.parse(reservationTTL) ?? .seconds(10))
        let policy = AdmissionPolicy(keys: keys, mode: admissionMode)
        let service: WebhookService
        do {
            service = try webhook.makeService(policy: policy, inventory: inventory, reservations: reservations, logger: logger)
        } catch {
            logger.critical("failed to start the webhook", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let group = ServiceGroup(configuration: .init(
            services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

extension AdmissionPolicy.Mode: ExpressibleByArgument {}
extension LogSetup.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
