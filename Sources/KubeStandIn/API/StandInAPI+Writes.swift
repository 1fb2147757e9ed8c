import HTTPServerCore

extension StandInAPI {
    /// `POST` on a collection: 201 with the stored object; 409 AlreadyExists; Events validated
    /// as kube-apiserver does; Nodes admitted by the webhook first when one is configured.
    func create(_ path: APIPath, query: RequestQuery, request: HTTPRequest) -> HTTPResponse {
        var object: JSONValue
        switch Self.bodyObject(request, kind: path.kind) {
        case .success(let value): object = value
        case .failure(let status): return status.response
        }
        if let failure = Self.placeInNamespace(&object, path: path) { return failure.response }
        if object.metadataString("name")?.isEmpty ?? true {
            guard let prefix = object.metadataString("generateName"), !prefix.isEmpty else {
                return StatusBody.invalid(path.kind, name: "", field: "metadata.name",
                                          detail: "Required value: name or generateName is required").response
            }
            let suffix = String((0..<5).map { _ in "bcdfghjklmnpqrstvwxz2456789".randomElement() ?? "x" })
            object.setMetadata("name", .string(prefix + suffix))
        }
        if path.kind == .events, let failure = EventValidation.check(&object, namespace: path.namespace ?? "") {
            return failure.response
        }
        let store = self.store
        let kind = path.kind
        let dryRun = query["dryRun"] == "All"
        let candidate = object
        return admitted(path, operation: "CREATE", object: object, old: nil, dryRun: dryRun, request: request, success: 201) {
            store.create(kind, candidate, dryRun: dryRun)
        }
    }

    /// `PUT` on an object: 409 Conflict when the body's resourceVersion is stale.
    func replace(_ path: APIPath, query: RequestQuery, request: HTTPRequest) -> HTTPResponse {
        var object: JSONValue
        switch Self.bodyObject(request, kind: path.kind) {
        case .success(let value): object = value
        case .failure(let status): return status.response
        }
        let name = path.name ?? ""
        if let given = object.metadataString("name"), given != name {
            return StatusBody.badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))").response
        }
        object.setMetadata("name", .string(name))
        if let failure = Self.placeInNamespace(&object, path: path) { return failure.response }
        guard let old = store.get(path.kind, namespace: path.namespace, name: name) else {
            return StatusBody.notFound(path.kind, name: name).response
        }
        if path.kind == .events, let failure = EventValidation.check(&object, namespace: path.namespace ?? "") {
            return failure.response
        }
        return update(path, object: object, old: old, expected: object.metadataString("resourceVersion"), query: query, request: request)
    }

    /// `PATCH` on an object or its `status` (merge patch). Like kube-apiserver, a label change
    /// sent to `/status` is kept (admission/04-status-subresource-label-change).
    func patch(_ path: APIPath, query: RequestQuery, request: HTTPRequest) -> HTTPResponse {
        let type = (request.headers["Content-Type"] ?? "").split(separator: ";").first.map { String($0).trimmingSpaces } ?? ""
        guard ["application/merge-patch+json", "application/strategic-merge-patch+json"].contains(type) else {
            return StatusBody(code: 415, reason: "UnsupportedMediaType",
                              message: "the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json").response
        }
        let patch: JSONValue
        switch Self.bodyObject(request, kind: path.kind) {
        case .success(let value): patch = value
        case .failure(let status): return status.response
        }
        let name = path.name ?? ""
        guard let old = store.get(path.kind, namespace: path.namespace, name: name) else {
            return StatusBody.notFound(path.kind, name: name).response
        }
        var object = MergePatch.apply(patch, to: old.value)
        object.setMetadata("name", .string(name))
        if let namespace = path.namespace { object.setMetadata("namespace", .string(namespace)) }
        if path.kind == .events, let failure = EventValidation.check(&object, namespace: path.namespace ?? "") {
            return failure.response
        }
        let expected = patch.metadataString("resourceVersion") ?? String(old.resourceVersion)
        object.setMetadata("resourceVersion", .string(String(old.resourceVersion)))
        return update(path, object: object, old: old, expected: expected, query: query, request: request)
    }

    private func update(_ path: APIPath, object: JSONValue, old: StoredObject, expected: String?,
                        query: RequestQuery, request: HTTPRequest) -> HTTPResponse {
        if let expected, !expected.isEmpty, expected != String(old.resourceVersion) {
            return StatusBody.conflict(path.kind, name: old.name).response
        }
        let store = self.store
        let kind = path.kind
        let dryRun = query["dryRun"] == "All"
        return admitted(path, operation: "UPDATE", object: object, old: old, dryRun: dryRun, request: request, success: 200) {
            store.update(kind, object, expectedVersion: String(old.resourceVersion), dryRun: dryRun)
        }
    }

    /// Sets `metadata.namespace` from the path; 400 when the body names another one.
    private static func placeInNamespace(_ object: inout JSONValue, path: APIPath) -> StatusBody? {
        guard path.kind.namespaced, let namespace = path.namespace else { return nil }
        if let given = object.metadataString("namespace"), !given.isEmpty, given != namespace {
            return .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        object.setMetadata("namespace", .string(namespace))
        return nil
    }

    /// Runs `write` at once, or, for Nodes with a webhook configured, after the webhook allowed it.
    private func admitted(_ path: APIPath, operation: String, object: JSONValue, old: StoredObject?, dryRun: Bool,
                          request: HTTPRequest, success: Int,
                          write: @escaping @Sendable () -> ObjectStore.WriteOutcome) -> HTTPResponse {
        guard path.kind == .nodes, let admission, !scenario.isAdmissionBypassed else {
            return Self.answer(write(), success: success, warnings: [])
        }
        let call = AdmissionCall(
            operation: operation, name: path.name ?? object.metadataString("name") ?? "", subResource: path.subresource,
            object: object, oldObject: old?.value, dryRun: dryRun,
            username: request.headers["X-Standin-User"] ?? "kubernetes-admin",
            groups: request.headers["X-Standin-Groups"].map { $0.split(separator: ",").map { String($0).trimmingSpaces } }
                ?? ["system:masters"])
        let deferred = HTTPDeferredResponse()
        Task {
            switch await admission.review(call) {
            case .allowed(let warnings): deferred.complete(Self.answer(write(), success: success, warnings: warnings))
            case .denied(let status, let warnings): deferred.complete(Self.withWarnings(status.response, warnings))
            }
        }
        return .later(deferred)
    }

    private static func answer(_ outcome: ObjectStore.WriteOutcome, success: Int, warnings: [String]) -> HTTPResponse {
        switch outcome {
        case .written(let object): withWarnings(.kube(success, object.bytes), warnings)
        case .failed(let status): withWarnings(status.response, warnings)
        }
    }

    /// Adds `Warning: 299 - "<text>"` per warning, quotes and backslashes escaped (RFC 7234 §5.5).
    static func withWarnings(_ response: HTTPResponse, _ warnings: [String]) -> HTTPResponse {
        var response = response
        for warning in warnings.prefix(16) {
            let text = warning.prefix(1024).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            response.headers.add(name: "Warning", value: "299 - \"\(text)\"")
        }
        return response
    }
}
