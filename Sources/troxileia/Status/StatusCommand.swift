import ArgumentParser
import FoundationEssentials
import KubeAPI
import Logging
import Reconciler

/// `troxileia status`: the status ConfigMap the leader keeps (DESIGN.md "Process layout"), readable.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the tap should hold and holds, who leads, and the last push (from the status ConfigMap).")

    @OptionGroup(title: "Cluster") var cluster: ConnectionOptions

    @Option(help: "Output: text or json (the ConfigMap's data).")
    var output: Format = .text

    enum Format: String, ExpressibleByArgument { case text, json }

    static let environmentTwins = ConnectionOptions.environmentTwins

    func run() async throws {
        let status: ReconcilerStatus?
        let namespace: String
        do {
            let client: KubeClient
            (client, namespace, _) = try cluster.client(logger: Logger(label: "troxileia") { _ in SwiftLogNoOpLogHandler() })
            status = try await ClusterReader(client: client, namespace: namespace).status()
        } catch {
            printToStandardError("failed to read the status: \(error)")
            throw ExitCode.failure
        }
        guard let status else {
            printToStandardError("no status yet: \(ReconcilerStatus.configMapName) does not exist in namespace "
                + "\(namespace); is troxileia running there, with a tap configured?")
            throw ExitCode.failure
        }
        if output == .json {
            let data = Dictionary(status.data, uniquingKeysWith: { $1 })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let json = try encoder.encode(data)
            print(String(decoding: json, as: UTF8.self))
            return
        }
        print(Self.render(status, namespace: namespace))
    }

    /// The status as a person reads it.
    static func render(_ status: ReconcilerStatus, namespace: String) -> String {
        func ports(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: ",") }
        let desired = status.desired.map(\.cliName)
        let applied = status.applied.map { $0.map(\.cliName) }
        var lines = [
            "namespace:  \(namespace)",
            "leader:     \(status.leader.isEmpty ? "unknown" : status.leader)",
            "desired:    \(ports(desired)) (\(desired.count) port(s))",
            "applied:    \(applied.map { "\(ports($0)) (\($0.count) port(s))" } ?? "unknown")",
            "in sync:    \(applied == desired ? "yes" : status.rejected.isEmpty ? "no" : "no (ports the tap cannot take, below)")",
            "last push:  \(status.lastPushAt.map { "\($0) (\(status.lastPushResult))" } ?? "none yet")",
        ]
        if !status.lastError.isEmpty { lines.append("last error: \(status.lastError)") }
        lines.append("excluded:   \(status.excluded.isEmpty ? "none" : "")")
        lines += status.excluded.map { "  \($0)" }
        if !status.rejected.isEmpty {
            lines.append("left out by the tap:")
            lines += status.rejected.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
