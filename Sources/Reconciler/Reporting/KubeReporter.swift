import KubeAPI
import Logging
import TroxileiaCore

/// Where the reconciler's results go in the cluster (DESIGN.md "Shared contracts"): Events about
/// Nodes (namespace `default`, the only one the apiserver accepts for cluster-scoped objects), tap
/// Events about the status ConfigMap, and the status ConfigMap itself, in the release namespace.
public final class KubeReporter: ReconcilerReporter {
    private let client: KubeClient
    private let namespace: String
    private let recorder: EventRecorder
    private let logger: Logger

    /// A reporter writing through `client` and `recorder` into `namespace` (the release namespace).
    public init(client: KubeClient, namespace: String, recorder: EventRecorder, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.recorder = recorder
        self.logger = logger
    }

    /// The status ConfigMap, as Events name it.
    private var statusReference: ObjectReference {
        ObjectReference(kind: "ConfigMap", name: ReconcilerStatus.configMapName, namespace: namespace)
    }

    /// Records an Event about a Node.
    public func record(_ event: NodeEvent) {
        recorder.record(event.type == .warning ? .warning : .normal, reason: event.reason.rawValue, note: event.message,
                        regarding: .node(event.node, uid: event.nodeUID))
    }

    /// Records a tap Event (`TapReconfigured`, `TapPushFailed`, `LargeRemovalHeld`) about the status ConfigMap.
    public func recordTap(warning: Bool, reason: String, note: String) {
        recorder.record(warning ? .warning : .normal, reason: reason, note: note, regarding: statusReference)
    }

    /// Writes the status ConfigMap: a JSON merge patch of its `data`, or a create when it does not
    /// exist yet. Failures are logged, never fatal: the status is informational.
    public func publish(_ status: ReconcilerStatus) async {
        let path = "/api/v1/namespaces/\(KubeClient.escapePathSegment(namespace))/configmaps"
        var data = JSONWriter()
        data.raw("{")
        for (index, (key, value)) in status.data.enumerated() {
            if index > 0 { data.raw(",") }
            data.field(key, value)
        }
        data.raw("}")
        let dataJSON = String(decoding: data.bytes, as: UTF8.self)
        let patch = Array(#"{"data":\#(dataJSON)}"#.utf8)
        do {
            _ = try await client.send(KubeRequest(method: .patch, path: "\(path)/\(ReconcilerStatus.configMapName)",
                                                  contentType: "application/merge-patch+json", body: patch))
        } catch .status(let status) where status.code == 404 {
            let object = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(ReconcilerStatus.configMapName)","#
                + #""labels":{"app.kubernetes.io/name":"troxileia"}},"data":\#(dataJSON)}"#
            do {
                _ = try await client.send(KubeRequest(method: .post, path: path, contentType: "application/json",
                                                      body: Array(object.utf8)))
            } catch {
                logger.warning("failed to create the status ConfigMap", metadata: ["error": "\(error)"])
            }
        } catch {
            logger.warning("failed to update the status ConfigMap", metadata: ["error": "\(error)"])
        }
    }
}
