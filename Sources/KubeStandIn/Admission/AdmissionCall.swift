import Foundation

/// One admission request for the Node webhook: what kube-apiserver puts in an AdmissionReview v1.
struct AdmissionCall: Sendable {
    /// `CREATE` or `UPDATE`.
    var operation: String
    var name: String
    /// `status` for the status subresource.
    var subResource: String?
    var object: JSONValue
    /// The stored object before an UPDATE; `null` (present) for CREATE.
    var oldObject: JSONValue?
    var dryRun: Bool
    var username: String
    /// The caller's groups; `system:authenticated` is added as kube-apiserver does.
    var groups: [String]

    /// The AdmissionReview body, with the field order of admission/04-status-subresource-label-change.request.http.
    func review(uid: String) -> JSONValue {
        let node = JSONValue.object([("group", .string("")), ("version", .string("v1")), ("kind", .string("Node"))])
        let resource = JSONValue.object([("group", .string("")), ("version", .string("v1")), ("resource", .string("nodes"))])
        var allGroups = groups
        if !allGroups.contains("system:authenticated") { allGroups.append("system:authenticated") }
        var request: [(String, JSONValue)] = [("uid", .string(uid)), ("kind", node), ("resource", resource)]
        if let subResource { request.append(("subResource", .string(subResource))) }
        request += [("requestKind", node), ("requestResource", resource)]
        if let subResource { request.append(("requestSubResource", .string(subResource))) }
        let optionsKind = operation == "CREATE" ? "CreateOptions" : "UpdateOptions"
        var options: [(String, JSONValue)] = [("kind", .string(optionsKind)), ("apiVersion", .string("meta.k8s.io/v1"))]
        if dryRun { options.append(("dryRun", .array([.string("All")]))) }
        request += [
            ("name", .string(name)), ("operation", .string(operation)),
            ("userInfo", .object([("username", .string(username)), ("groups", .array(allGroups.map { .string($0) }))])),
            ("object", object), ("oldObject", oldObject ?? .null), ("dryRun", .bool(dryRun)), ("options", .object(options)),
        ]
        return .object([("kind", .string("AdmissionReview")), ("apiVersion", .string("admission.k8s.io/v1")), ("request", .object(request))])
    }
}

/// What the webhook decided.
enum AdmissionVerdict: Sendable {
    case allowed(warnings: [String])
    /// Refused, or the webhook failed (failurePolicy Fail): the Status to answer with.
    case denied(StatusBody, warnings: [String])
}
