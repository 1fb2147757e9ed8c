/// kube-apiserver's checks of a list or watch's query (apimachinery `ValidateListOptions`, which
/// the list handler runs before anything else): `sendInitialEvents` and `resourceVersionMatch` in
/// the combinations a server takes, else 422 Invalid on kind `ListOptions.meta.k8s.io` with one
/// cause per broken rule, worded as upstream words them.
enum ListOptionsValidation {
    /// One broken rule: the field, its `details.causes[].reason` and its text after the field.
    struct Violation: Equatable {
        var field: String
        var reason: String
        var body: String

        static func forbidden(_ field: String, _ detail: String) -> Violation {
            Violation(field: field, reason: "FieldValueForbidden", body: "Forbidden: \(detail)")
        }

        static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> Violation {
            Violation(field: field, reason: "FieldValueNotSupported",
                      body: "Unsupported value: \(quoted(value)): supported values: \(supported.map(quoted).joined(separator: ", "))")
        }

        /// Go's `%q` for the plain strings these are (a `"` or `\` escaped).
        private static func quoted(_ text: String) -> String {
            "\"" + String(text.prefix(64)).replacingBackslashesAndQuotes() + "\""
        }
    }

    /// The 422 for `query` as a watch (`watch: true`) or a list, or nil when the server takes it.
    /// `watchListEnabled` is kube-apiserver's `WatchList` feature gate (on in v1.36: the capture
    /// watch/nodes-watch-initial-events.* was served).
    static func check(_ query: RequestQuery, watch: Bool, watchListEnabled: Bool) -> StatusBody? {
        let violations = watch ? watchViolations(query, watchListEnabled: watchListEnabled) : listViolations(query)
        guard !violations.isEmpty else { return nil }
        let summary = violations.map { "\($0.field): \($0.body)" }
        let message = "ListOptions.meta.k8s.io \"\" is invalid: "
            + (summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]")
        var status = StatusBody(code: 422, reason: "Invalid", message: message, group: "meta.k8s.io", kind: "ListOptions")
        status.causes = violations.map { StatusBody.Cause(reason: $0.reason, message: $0.body, field: $0.field) }
        return status
    }

    static func watchViolations(_ query: RequestQuery, watchListEnabled: Bool) -> [Violation] {
        var violations: [Violation] = []
        let match = query["resourceVersionMatch"] ?? ""
        let sendsInitialEvents = query["sendInitialEvents"] != nil
        if sendsInitialEvents {
            if match != "NotOlderThan" {
                violations.append(.forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
            }
            if !watchListEnabled {
                violations.append(.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"))
            }
        }
        if !match.isEmpty {
            if !sendsInitialEvents {
                violations.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
            }
            if match != "NotOlderThan" { violations.append(.notSupported("resourceVersionMatch", match, ["NotOlderThan"])) }
            if !(query["continue"] ?? "").isEmpty {
                violations.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
            }
        }
        return violations
    }

    static func listViolations(_ query: RequestQuery) -> [Violation] {
        var violations: [Violation] = []
        let match = query["resourceVersionMatch"] ?? ""
        if !match.isEmpty {
            if (query["resourceVersion"] ?? "").isEmpty {
                violations.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"))
            }
            if !(query["continue"] ?? "").isEmpty {
                violations.append(.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"))
            }
            if match != "Exact" && match != "NotOlderThan" {
                violations.append(.notSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]))
            }
            if match == "Exact" && query["resourceVersion"] == "0" {
                violations.append(.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""))
            }
        }
        if query["sendInitialEvents"] != nil {
            violations.append(.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"))
        }
        return violations
    }
}

private extension String {
    func replacingBackslashesAndQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
