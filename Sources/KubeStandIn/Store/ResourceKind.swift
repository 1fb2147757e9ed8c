/// One kind of object the stand-in serves, with the names kube-apiserver uses for it.
public struct ResourceKind: Sendable, Hashable {
    /// API group; empty for the core group.
    public var group: String
    /// `v1`.
    public var version: String
    /// Resource name in paths and Status details: `nodes`.
    public var plural: String
    /// `Node`.
    public var kind: String
    /// Whether objects live in a namespace.
    public var namespaced: Bool

    /// `v1` or `coordination.k8s.io/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `nodes` or `leases.coordination.k8s.io`: how messages name the resource.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// The group for Status details, absent for the core group.
    var groupOrNil: String? { group.isEmpty ? nil : group }
    /// `NodeList`.
    public var listKind: String { kind + "List" }

    /// Core `v1` Nodes (cluster-scoped).
    public static let nodes = ResourceKind(group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false)
    /// Core `v1` Pods.
    public static let pods = ResourceKind(group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true)
    /// `events.k8s.io/v1` Events.
    public static let events = ResourceKind(group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true)
    /// `coordination.k8s.io/v1` Leases.
    public static let leases = ResourceKind(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true)

    /// Core `v1` ConfigMaps (the reconciler's status ConfigMap).
    public static let configMaps = ResourceKind(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true)

    /// Every kind served.
    public static let all: [ResourceKind] = [.nodes, .pods, .events, .leases, .configMaps]

    /// The store key: `name` or `namespace/name`, which also sorts like etcd keys.
    func key(namespace: String?, name: String) -> String {
        namespaced ? "\(namespace ?? "")/\(name)" : name
    }

    /// The near-empty object a BOOKMARK carries (watch/nodes-watch.json): only the version matters.
    func bookmarkObject(resourceVersion: String, initialEventsEnd: Bool) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string(resourceVersion))]
        if initialEventsEnd { metadata.append(("annotations", .object([("k8s.io/initial-events-end", .string("true"))]))) }
        var members: [(String, JSONValue)] = [("kind", .string(kind)), ("apiVersion", .string(apiVersion)), ("metadata", .object(metadata))]
        if self == .nodes {
            let info = ["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
                        "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"].map { ($0, JSONValue.string("")) }
            members.append(("spec", .object([])))
            members.append(("status", .object([
                ("daemonEndpoints", .object([("kubeletEndpoint", .object([("Port", .int(0))]))])), ("nodeInfo", .object(info)),
            ])))
        } else if self == .pods {
            members.append(("spec", .object([("containers", .null)])))
            members.append(("status", .object([])))
        }
        return .object(members)
    }
}
