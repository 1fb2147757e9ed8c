import FoundationEssentials
import KubeAPI
import Logging
import TroxileiaCore

/// The cluster half of `doctor`: reachability, the permissions `run` needs (each write tried as a
/// server-side dry run, so nothing is created), and the labels by `validate`'s rules.
struct ClusterChecks {
    let client: KubeClient
    let namespace: String
    let server: String

    /// Connects and lists one node; `nil` (after reporting the failure) when the cluster is out of reach.
    static func connect(_ options: ConnectionOptions, report: (DoctorCheck) -> Void) async -> ClusterChecks? {
        do {
            let (client, namespace, settings) = try options.client(logger: Logger(label: "troxileia") { _ in SwiftLogNoOpLogHandler() })
            _ = try await client.list(.nodes, as: NodeCodec.self, limit: 1, continueToken: nil)
            report(.pass("cluster reachable", "\(settings.server) (\(settings.source)), release namespace \(namespace)"))
            return ClusterChecks(client: client, namespace: namespace, server: settings.server)
        } catch {
            report(.fail("cluster reachable", "\(error)",
                         hint: "check --kubeconfig/--context (or the service account in a pod) and that the API server answers"))
            return nil
        }
    }

    func run(keys: LabelKeys, reconciler: ReconcilerOptions, report: (DoctorCheck) -> Void) async {
        let reader = ClusterReader(client: client, namespace: namespace)
        var nodes: [NodeRecord]?
        await check("list nodes", report) { nodes = try await reader.listAll(.nodes, as: NodeCodec.self) }
        await check("watch nodes", report) {
            for try await _ in client.watch(.nodes, as: NodeCodec.self, from: "0", timeoutSeconds: 1) { break }
        }
        if let selector = try? reconciler.podSelector() {
            await check("list sensor pods (\(selector))", report) {
                _ = try await reader.listAll(.pods(namespace: reconciler.sensorNamespace, selector: selector), as: PodCodec.self)
            }
        }
        for eventNamespace in Set(["default", namespace]).sorted() {
            await check("create events in \(eventNamespace)", report) {
                try await dryRunCreate("/apis/events.k8s.io/v1/namespaces/\(eventNamespace)/events", Self.event(eventNamespace))
            }
        }
        await check("create the Lease in \(namespace)", report) {
            try await dryRunCreate("/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases",
                                   #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"troxileia-doctor"}}"#)
        }
        await check("list port claims in \(namespace)", report) {
            // The sweep lists claims; taking one needs create (checked above), get and update.
            let selector = KubeClient.escapeQueryValue("\(LeasePortClaims.claimLabel)=\(LeasePortClaims.claimLabelValue)")
            _ = try await client.send(KubeRequest(path: "/apis/coordination.k8s.io/v1/namespaces/\(KubeClient.escapePathSegment(namespace))/leases?labelSelector=\(selector)&limit=1"))
        }
        await check("create the status ConfigMap in \(namespace)", report) {
            try await dryRunCreate("/api/v1/namespaces/\(namespace)/configmaps",
                                   #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"troxileia-doctor"}}"#)
        }
        if let nodes { labels(nodes, keys: keys, report: report) }  // no verdict on labels never read
    }

    private func labels(_ nodes: [NodeRecord], keys: LabelKeys, report: (DoctorCheck) -> Void) {
        let findings = LabelAudit.findings(for: nodes, keys: keys)
        let errors = findings.filter { $0.severity == .error }
        let sensors = nodes.filter { $0.labels[keys.sensor] == "true" }.count
        let listed = findings.prefix(5).map { "\($0.node): \($0.problem)" }.joined(separator: "; ")
        if !errors.isEmpty {
            report(.fail("node labels", "\(errors.count) error(s) on \(nodes.count) nodes: \(listed)",
                         hint: "run troxileia validate on `kubectl get nodes -o json` for every finding with its fix"))
        } else if !findings.isEmpty {
            report(.warn("node labels", "\(findings.count) warning(s): \(listed)", hint: "troxileia validate shows each with a hint"))
        } else {
            report(.pass("node labels", "\(nodes.count) nodes, \(sensors) labelled sensor, no problem"))
        }
    }

    private func check(_ name: String, _ report: (DoctorCheck) -> Void,
                       _ body: () async throws -> Void) async {
        do {
            try await body()
            report(.pass(name))
        } catch KubeAPIError.status(let status) where status.isForbidden {
            report(.fail(name, status.message, hint: "grant it in the ClusterRole/Role of troxileia's ServiceAccount (the Helm chart's RBAC has it)"))
        } catch {
            report(.fail(name, "\(error)", hint: "see the error; the API server must allow this for run to work"))
        }
    }

    private func dryRunCreate(_ path: String, _ body: String) async throws {
        _ = try await client.send(KubeRequest(method: .post, path: path + "?dryRun=All", contentType: "application/json",
                                              body: Array(body.utf8)))
    }

    /// A dry-run Event as run records them: about a Node in `default`, about the status ConfigMap in the
    /// release namespace (the apiserver wants an Event in its object's namespace).
    private static func event(_ namespace: String) -> String {
        let time = KubeTime(secondsSinceEpoch: Date().timeIntervalSince1970).microTime
        let regarding = namespace == "default"
            ? #"{"apiVersion":"v1","kind":"Node","name":"troxileia-doctor"}"#
            : #"{"apiVersion":"v1","kind":"ConfigMap","name":"troxileia-status","namespace":"\#(namespace)"}"#
        return #"{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"troxileia-doctor","namespace":"\#(namespace)"},"#
            + #""eventTime":"\#(time)","reportingController":"troxileia.io/doctor","reportingInstance":"doctor","#
            + #""action":"Check","reason":"DoctorCheck","type":"Normal","note":"permission check (dry run)","#
            + #""regarding":\#(regarding)}"#
    }
}
