import GigaVUE
import KubeAPI
import Logging
import Prometheus
import Reconciler
import ServiceLifecycle
import TroxileiaCore
import Webhook

/// The in-cluster half of `run`: the node and sensor-pod reflectors filling the stores the webhook
/// and the reconciler read, leader election on the Lease, the Event recorder, and the reconciler.
struct ClusterRuntime {
    /// The node store (the webhook's inventory).
    let nodes: NodeStore
    /// Port claims in the release namespace, shared by every replica's webhook.
    let claims: LeasePortClaims
    /// Services in start order; ServiceGroup stops them in reverse (reconciler first, recorder last).
    let servicesBeforeWebhook: [any Service]
    let servicesAfterWebhook: [any Service]
    /// The tap's ports from the status ConfigMap, for the webhook's warning (issue 15).
    let tapPorts = TapPortCatalog()
    /// How often every replica re-reads the tap's ports from the status ConfigMap.
    static let tapPortsInterval: Duration = .seconds(15)

    init(connection: ConnectionOptions, election: LeaderElectionOptions, reconciler options: ReconcilerOptions,
         driver: (any TapDriver)?, keys: LabelKeys, claimTTL: Duration, watchList: Bool, metrics webhookMetrics: WebhookMetrics,
         logger: Logger) throws {
        let (client, namespace, settings) = try connection.client(logger: logger)
        logger.info("cluster connection", metadata: ["kube.source": "\(settings.source)", "kube.server": "\(settings.server)",
                                                     "kube.namespace": "\(namespace)"])
        let metrics = ReconcilerMetrics(registry: webhookMetrics.registry)
        var claimConfiguration = LeasePortClaims.Configuration(namespace: namespace)
        claimConfiguration.ttl = claimTTL
        claims = LeasePortClaims(client: client, configuration: claimConfiguration, logger: logger)
        nodes = NodeStore(keys: keys)
        var nodeSync = Reflector<NodeCodec>.Configuration()
        nodeSync.watchList = watchList
        let nodeReflector = Reflector(name: "nodes", client: client, location: .nodes, store: nodes.objects, as: NodeCodec.self,
                                      configuration: nodeSync, logger: logger, onEvent: Self.counting("nodes", metrics))
        var before: [any Service] = [TaskService("node reflector") { await nodeReflector.run() }]
        var pods: ObjectStore<PodRecord>?
        if let selector = try options.podSelector() {
            let store = ObjectStore<PodRecord>()
            var podSync = Reflector<PodCodec>.Configuration()
            podSync.watchList = watchList
            let podReflector = Reflector(name: "pods", client: client,
                                         location: .pods(namespace: options.sensorNamespace, selector: selector),
                                         store: store, as: PodCodec.self, configuration: podSync, logger: logger,
                                         onEvent: Self.counting("pods", metrics))
            before.append(TaskService("pod reflector") { await podReflector.run() })
            pods = store
        }
        var after: [any Service] = []
        if driver != nil {
            // Only where a leader publishes the tap's ports: a webhook-only release has no status
            // ConfigMap (and the chart grants no read of it).
            let reader = ClusterReader(client: client, namespace: namespace)
            let catalog = tapPorts
            before.append(TaskService("tap port reader") {
                // Informational: a failed read keeps the last list (the warning is never a denial).
                while !Task.isCancelled {
                    if let status = try? await reader.status() { catalog.update(status.tapPorts) }
                    try? await Task.sleep(for: Self.tapPortsInterval)
                }
            })
        }
        var isLeader: @Sendable () -> Bool = { true }
        if let driver {
            let recorder = EventRecorder(client: client, configuration: .init(instance: LeaderElectionOptions.identity), logger: logger)
            before.insert(TaskService("event recorder", finish: { recorder.finish() }) { await recorder.run() }, at: 0)
            let leadership: any Leadership
            if election.leaderElect {
                let lease = LeaseLeadership()
                let elector = try LeaderElector(client: client, namespace: namespace, name: election.leaseName,
                                                configuration: try election.election(), logger: logger,
                                                onChange: { lease.changed($0) })
                lease.attach(elector)
                isLeader = { lease.isLeader }
                after.append(TaskService("leader election") { await elector.run() })
                leadership = lease
            } else {
                leadership = SoleLeader(identity: LeaderElectionOptions.identity)
            }
            let reporter = KubeReporter(client: client, namespace: namespace, recorder: recorder, logger: logger)
            after.append(Reconciler(nodes: nodes, pods: pods, driver: driver, leadership: leadership, reporter: reporter,
                                    metrics: metrics, configuration: try options.configuration(), logger: logger))
        } else {
            logger.warning("no --tap-host and no --dry-run: serving the webhook only, nothing is pushed")
        }
        let sweep = ClaimSweep(claims: claims, ttl: claimTTL, isLeader: isLeader, metrics: webhookMetrics, logger: logger)
        after.append(TaskService("port claim sweep") { await sweep.run() })
        servicesBeforeWebhook = before
        servicesAfterWebhook = after
    }

    private static func counting<Codec: ResourceCodec>(_ resource: String, _ metrics: ReconcilerMetrics)
        -> @Sendable (Reflector<Codec>.Event) -> Void {
        metrics.watching(resource: resource)
        return { event in
            switch event {
            case .listed, .streamed, .watchListUnsupported: break
            case .relisting: metrics.reflectorEvent(resource: resource, kind: "relist")
            case .watchRestarted: metrics.reflectorEvent(resource: resource, kind: "watch_restart")
            }
        }
    }
}

/// A long-running task as a `Service`: cancelled on graceful shutdown (after `finish`, when given).
struct TaskService: Service, CustomStringConvertible {
    let description: String
    private let body: @Sendable () async -> Void
    private let finish: (@Sendable () -> Void)?

    init(_ name: String, finish: (@Sendable () -> Void)? = nil, _ body: @escaping @Sendable () async -> Void) {
        description = name
        self.body = body
        self.finish = finish
    }

    func run() async throws {
        if let finish {
            // A recorder drains its queue when finished; let it end by itself.
            await withGracefulShutdownHandler { await body() } onGracefulShutdown: { finish() }
        } else {
            await cancelWhenGracefulShutdown { await body() }
        }
    }
}
