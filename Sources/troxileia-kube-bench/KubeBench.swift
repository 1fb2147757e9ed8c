import Foundation
import KubeAPI
import Logging
import Synchronization
import TroxileiaCore

/// `troxileia-kube-bench`: lists and watches nodes (metadata only) and selected pods from an API
/// server with the production reflectors, and prints one JSON line with the sync times and memory.
/// With `--watch-label KEY=VALUE --watch-count N` it then waits until N nodes carry that label and
/// prints a second line saying when the watch delivered the first and the last of them.
@main
enum KubeBench {
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        do {
            let options = try BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
            try await run(options)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("troxileia-kube-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Runs both reflectors, waits for sync, measures, optionally follows the watch phase.
    static func run(_ options: BenchOptions) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let startMemory = ProcessMemory.current()
        let logger = Logger(label: "troxileia-kube-bench")
        var settings: CurlTransport.Configuration
        if options.server.isEmpty {
            let connection = try KubeConfigLoader().load(kubeconfig: options.kubeconfig, context: options.context)
            settings = CurlTransport.Configuration(connection: connection)
        } else {
            settings = CurlTransport.Configuration(server: options.server)
            settings.allowPlainHTTP = true
        }
        settings.acceptGzip = options.gzip
        let client = KubeClient(transport: try CurlTransport(configuration: settings), logger: logger)

        let nodes = ObjectStore<NodeRecord>()
        let pods = ObjectStore<PodRecord>()
        let syncs = SyncCounts()
        var nodeSync = Reflector<NodeCodec>.Configuration()
        nodeSync.watchList = options.watchList
        var podSync = Reflector<PodCodec>.Configuration()
        podSync.watchList = options.watchList
        let nodeReflector = Reflector(name: "nodes", client: client, location: .nodes, store: nodes, as: NodeCodec.self,
                                      configuration: nodeSync, logger: logger, onEvent: syncs.count)
        let podReflector = Reflector(name: "pods", client: client,
                                     location: .pods(namespace: options.podNamespace, selector: options.podSelector),
                                     store: pods, as: PodCodec.self, configuration: podSync, logger: logger,
                                     onEvent: syncs.count)
        let reflectors = [Task { await nodeReflector.run() }, Task { await podReflector.run() }]
        defer { reflectors.forEach { $0.cancel() } }

        let deadline = start + .seconds(options.timeoutSeconds)
        async let nodeSynced = waitUntil(deadline: deadline, "node sync") { nodes.isSynced }
        async let podSynced = waitUntil(deadline: deadline, "pod sync") { pods.isSynced }
        let (nodeAt, podAt) = try await (nodeSynced, podSynced)
        let syncedMemory = ProcessMemory.current()
        let nodeCount = nodes.objects.count
        let podCount = pods.objects.count

        try await Task.sleep(for: .seconds(options.steadySeconds))
        let steadyMemory = ProcessMemory.current()
        emit(
            "{\"phase\":\"synced\",\"sync_s\":\(fixed(seconds(max(nodeAt, podAt) - start))),"
                + "\"node_sync_s\":\(fixed(seconds(nodeAt - start))),\"pod_sync_s\":\(fixed(seconds(podAt - start))),"
                + "\"nodes\":\(nodeCount),\"pods\":\(podCount),\"rss_start_kib\":\(startMemory.residentKiB),"
                + "\"rss_synced_kib\":\(syncedMemory.residentKiB),\"hwm_synced_kib\":\(syncedMemory.peakKiB),"
                + "\"steady_after_s\":\(fixed(options.steadySeconds)),\"rss_steady_kib\":\(steadyMemory.residentKiB),"
                + "\"hwm_steady_kib\":\(steadyMemory.peakKiB),\"watch_list_syncs\":\(syncs.streamed.load(ordering: .relaxed)),"
                + "\"list_syncs\":\(syncs.listed.load(ordering: .relaxed))}")

        guard let label = options.watchLabel else { return }
        let watchDeadline = clock.now + .seconds(options.timeoutSeconds)
        var firstSeen: Double?
        var seen = 0
        for await _ in nodes.changes() {
            seen = nodes.objects.values.reduce(0) { $0 + ($1.labels[label.key] == label.value ? 1 : 0) }
            if seen > 0, firstSeen == nil { firstSeen = epochSeconds() }
            if seen >= options.watchCount || clock.now > watchDeadline { break }
        }
        let lastSeen = epochSeconds()
        let memory = ProcessMemory.current()
        emit(
            "{\"phase\":\"watch\",\"seen\":\(seen),\"expected\":\(options.watchCount),"
                + "\"first_seen_epoch\":\(fixed(firstSeen ?? lastSeen)),\"last_seen_epoch\":\(fixed(lastSeen)),"
                + "\"rss_kib\":\(memory.residentKiB),\"hwm_kib\":\(memory.peakKiB)}")
        if seen < options.watchCount { throw BenchError.timeout("saw \(seen) of \(options.watchCount) labelled nodes") }
    }

    /// Polls `condition` every 2 ms; returns the instant it first held.
    /// - Throws: `BenchError.timeout` naming `what` once `deadline` passes.
    static func waitUntil(deadline: ContinuousClock.Instant, _ what: String,
                          _ condition: @Sendable () -> Bool) async throws -> ContinuousClock.Instant {
        while !condition() {
            guard ContinuousClock.now < deadline else { throw BenchError.timeout(what) }
            try await Task.sleep(for: .milliseconds(2))
        }
        return ContinuousClock.now
    }

    /// `value` with three decimals, as JSON.
    static func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// How many syncs each way the reflectors made: tells a watch-list run that fell back to lists.
final class SyncCounts: Sendable {
    let streamed = Atomic<Int>(0)
    let listed = Atomic<Int>(0)

    func count<Codec: ResourceCodec>(_ event: Reflector<Codec>.Event) {
        switch event {
        case .streamed: streamed.add(1, ordering: .relaxed)
        case .listed: listed.add(1, ordering: .relaxed)
        case .relisting, .watchRestarted, .watchListUnsupported: break
        }
    }
}
