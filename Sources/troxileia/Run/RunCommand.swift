import ArgumentParser
import Logging
import ServiceLifecycle
import TroxileiaCore
import HTTPServerCore
import Webhook

/// `troxileia run`: the in-cluster job. Every replica serves the validating webhook (TLS) and the
/// probe listener and keeps its stores from the cluster; the Lease holder pushes to the tap. With
/// `--nodes-file` it serves the webhook against a NodeList file instead, without a reconciler.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve the validating admission webhook and keep the tap's GigaStream equal to the healthy sensor nodes.",
        discussion: """
            Durations read 500ms, 3s, 5m. Every flag can also be set by its environment twin: \
            TROXILEIA_<FLAG_IN_UPPER_SNAKE>, e.g. TROXILEIA_WEBHOOK_LISTEN for --webhook-listen.
            """
    )

    @OptionGroup(title: "Webhook") var webhook: WebhookOptions
    @OptionGroup(title: "Cluster") var connection: ConnectionOptions
    @OptionGroup(title: "Leader election") var election: LeaderElectionOptions
    @OptionGroup(title: "Reconciler") var reconciler: ReconcilerOptions
    @OptionGroup(title: "Tap") var tap: TapOptions

    @Option(help: "Admission decisions: enforce (deny) or warn (allow with a warning).")
    var admissionMode: AdmissionPolicy.Mode = .enforce

    @Option(help: "How long an admitted port claim is held against other nodes until the node list shows it.")
    var reservationTTL = "10s"

    @Option(help: "When a port's claim cannot be recorded in the API server: deny (ask to retry) or allow (this replica's reservation only).")
    var claimFailure: PortClaimGate.FailurePolicy = .deny

    @OptionGroup(title: "Labels") var labels: LabelOptions

    @Option(help: "Initial sync of nodes and sensor pods: auto (a watch-list streaming the state where the API server supports it, else paginated lists) or off (paginated lists only).")
    var watchList: WatchListMode = .auto

    @Option(help: "Decide against the nodes of this NodeList file (JSON or YAML) instead of a cluster; no reconciler.")
    var nodesFile: String?

    @Option(help: "Log format: json or text (default: json unless standard error is a terminal).")
    var logFormat: LogSetup.Format?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    static var environmentTwins: [EnvironmentTwins.Twin] {
        WebhookOptions.environmentTwins + ConnectionOptions.environmentTwins + LeaderElectionOptions.environmentTwins
            + LabelOptions.environmentTwins + ReconcilerOptions.environmentTwins
            + TapOptions.environmentTwins + [
            .init(flag: "admission-mode", kind: .option), .init(flag: "reservation-ttl", kind: .option),
            .init(flag: "claim-failure", kind: .option), .init(flag: "watch-list", kind: .option),
             .init(flag: "nodes-file", kind: .option), .init(flag: "log-format", kind: .option),
            .init(flag: "log-level", kind: .option),
        ]
    }

    func validate() throws {
        // The option groups (webhook, cluster, labels, reconciler, tap) validate themselves.
        guard DurationText.parse(reservationTTL) != nil else { throw ValidationError("--reservation-ttl: \"\(reservationTTL)\" is not a duration (e.g. 10s)") }
        if nodesFile != nil, tap.tapHost != nil || tap.dryRun {
            throw ValidationError("--nodes-file serves the webhook only: drop --tap-host/--dry-run, or drop --nodes-file to run against the cluster")
        }
    }

    func run() async throws {
        LogSetup.bootstrap(format: logFormat ?? LogSetup.defaultFormat, level: logLevel)
        let logger = Logger(label: "troxileia")
        let keys = labels.keys
        let metrics = WebhookMetrics()
        let inventory: any NodeInventory
        let ttl = DurationText.parse(reservationTTL) ?? .seconds(10)
        var claims: PortClaimGate?
        var before: [any Service] = []
        var after: [any Service] = []
        var tapPorts: TapPortCatalog?
        do {
            if let nodesFile {
                inventory = try NodeFileInventory(path: nodesFile, keys: keys)
            } else {
                let runtime = try ClusterRuntime(connection: connection, election: election, reconciler: reconciler, driver: try tap.makeDriver(logger: logger),
                                                 keys: keys, claimTTL: ttl, watchList: watchList == .auto, metrics: metrics, logger: logger)
                inventory = runtime.nodes
                claims = PortClaimGate(store: runtime.claims, inventory: runtime.nodes,
                                       configuration: .init(ttl: ttl, onFailure: claimFailure), metrics: metrics, logger: logger)
                before = runtime.servicesBeforeWebhook
                after = runtime.servicesAfterWebhook
                tapPorts = runtime.tapPorts
            }
        } catch {
            logger.critical("failed to start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let reservations = PortReservations(ttl: ttl)
        let policy = AdmissionPolicy(keys: keys, mode: admissionMode)
        let service: WebhookService
        do {
            service = try webhook.makeService(policy: policy, inventory: inventory, reservations: reservations,
                                              claims: claims, metrics: metrics, logger: logger, tapPorts: tapPorts)
        } catch {
            logger.critical("failed to start the webhook", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        // Started in this order, stopped in reverse: the reconciler abandons its push and the Lease is
        // released first, then the webhook drains, then the reflectors and the Event recorder stop.
        let group = ServiceGroup(configuration: .init(
            services: (before + [service] + after).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// `--watch-list`: how the reflectors sync (issue 18).
enum WatchListMode: String, ExpressibleByArgument, CaseIterable {
    /// A watch-list where the API server supports it, else paginated lists.
    case auto
    /// Paginated lists only.
    case off
}

extension AdmissionPolicy.Mode: ExpressibleByArgument {}
extension PortClaimGate.FailurePolicy: ExpressibleByArgument {}
extension LogSetup.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
