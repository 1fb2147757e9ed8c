import ArgumentParser
import FoundationEssentials
import GigaVUE
import KubeAPI
import Logging
import Reconciler
import TroxileiaCore

/// `troxileia plan` (DESIGN.md "Process layout"): the desired set from the live cluster, the tap's
/// actual set, and the exact commands `run` would send. Changes nothing: the tap is only read
/// (`show running-config`). Exit 0 nothing to change, 2 changes pending, 1 error.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what run would push to the tap, without changing anything.",
        discussion: """
            Takes run's cluster, reconciler and tap flags (and their environment twins). The actual set comes from \
            the tap (read-only) when --tap-host is given, else from the status ConfigMap, else it is unknown and \
            the whole plan is printed. Exit status: 0 nothing to change, 2 changes pending, 1 error.
            """)

    @OptionGroup(title: "Cluster") var cluster: ConnectionOptions
    @OptionGroup(title: "Labels") var labels: LabelOptions
    @OptionGroup(title: "Reconciler") var reconciler: ReconcilerOptions
    @OptionGroup(title: "Tap") var tap: TapOptions

    static var environmentTwins: [EnvironmentTwins.Twin] {
        ConnectionOptions.environmentTwins + LabelOptions.environmentTwins + ReconcilerOptions.environmentTwins
            + TapOptions.environmentTwins
    }

    func validate() throws {
    }

    func run() async throws {
        let logger = Logger(label: "troxileia") { _ in SwiftLogNoOpLogHandler() }
        do {
            let (client, namespace, _) = try cluster.client(logger: logger)
            let reader = ClusterReader(client: client, namespace: namespace)
            let keys = labels.keys
            let podLocation = try reconciler.podSelector().map { ResourceLocation.pods(namespace: reconciler.sensorNamespace, selector: $0) }
            let ssh = try tap.sshConfiguration()
            // The reads are independent: all at once, so the plan waits for the slowest, not the sum.
            async let nodeList = reader.listAll(.nodes, as: NodeCodec.self)
            async let podList = Self.pods(reader, podLocation)
            async let statusRead = Self.status(reader, wanted: ssh == nil)
            async let tapRead = Self.tapReading(ssh, logger: logger)
            let nodes = try await nodeList
            let pods = try await podList
            let desired = DesiredState(snapshot: NodeSnapshot(nodes: nodes, keys: keys), pods: pods,
                                       defaultPodTimeout: try reconciler.configuration().podNotReadyTimeout,
                                       now: KubeTime(secondsSinceEpoch: Date().timeIntervalSince1970))
            print(PlanReport.desired(desired))
            let policy = try tap.policy()
            let plan: TapPlan?
            if let ssh, let reading = try await tapRead {
                print("actual:     \(PlanReport.ports(reading.sensorPorts)) (read from the tap \(ssh.host))")
                plan = try policy.plan(for: desired.ports, reading: reading)
            } else if let status = try await statusRead, let applied = status.applied {
                print("actual:     \(PlanReport.ports(applied)) (status ConfigMap, \(status.lastPushAt.map(\.description) ?? "no push yet"))")
                plan = applied == desired.ports ? nil : try Self.fullPlan(desired.ports, policy)
            } else {
                print("actual:     unknown (no --tap-host and no status ConfigMap in \(namespace)): the whole plan follows")
                plan = try Self.fullPlan(desired.ports, policy)
            }
            guard let plan else {
                print("nothing to change")
                return
            }
            print("commands run would send (configure mode):")
            for line in plan.lines { print("  \(line)") }
            throw ExitCode(2)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printToStandardError("failed to plan: \(error)")
            throw ExitCode.failure
        }
    }

    /// The sensor pods, none without `--sensor-apps`.
    private static func pods(_ reader: ClusterReader, _ location: ResourceLocation?) async throws(KubeAPIError) -> [PodRecord] {
        guard let location else { return [] }
        return try await reader.listAll(location, as: PodCodec.self)
    }

    /// The status ConfigMap when `wanted` (no tap to read instead).
    private static func status(_ reader: ClusterReader, wanted: Bool) async throws(KubeAPIError) -> ReconcilerStatus? {
        wanted ? try await reader.status() : nil
    }

    /// What the tap holds, read with `show running-config`, when tap flags are given.
    private static func tapReading(_ ssh: SSHTapDriver.Configuration?, logger: Logger) async throws -> TapReading? {
        guard let ssh else { return nil }
        return try await SSHTapDriver(configuration: ssh, logger: logger).currentSensorPorts()
    }

    private static func fullPlan(_ ports: [TapPort], _ policy: TapPolicy) throws(TapError) -> TapPlan {
        try TapPlan(ports: ports, configuration: policy.plan, allowedToolPorts: policy.allowedToolPorts, sourcePorts: [])
    }
}

/// The readable parts of `plan`'s output.
enum PlanReport {
    static func ports(_ ports: [TapPort]) -> String {
        ports.isEmpty ? "none" : "\(PortList.cliText(ports)) (\(ports.count) port(s))"
    }

    /// The desired set with each port's node, and the nodes left out with the reason.
    static func desired(_ state: DesiredState) -> String {
        var lines = ["desired:    \(ports(state.ports))"]
        for port in state.ports { lines.append("  \(port.cliName)  \(state.sensors.owners[port] ?? "")") }
        let omitted = state.sensors.omitted
        if !omitted.isEmpty { lines.append("left out:") }
        for entry in omitted { lines.append("  \(entry.node): \(state.nodes[entry.node]?.leftOutReason ?? "left out")") }
        return lines.joined(separator: "\n")
    }
}
