import Logging
import HTTPServerCore

/// The HTTP face of the stand-in: routes a request to the store, the scenario controls or the
/// admission webhook. Runs on event-loop threads and never blocks there: work that waits (an
/// admission call, added latency) answers through an `HTTPDeferredResponse`.
struct StandInAPI: HTTPResponder {
    let store: ObjectStore
    let scenario: Scenario
    let admission: AdmissionCaller?
    let settings: KubeStandIn.Configuration
    let logger: Logger

    /// Largest `limit` honoured; larger values are clamped (a list page is built in memory).
    static let maxLimit = 100_000

    func respond(to request: HTTPRequest) -> HTTPResponse {
        if request.path.hasPrefix("/standin/") { return control(request) }
        if let token = scenario.rotatedToken ?? settings.bearerToken, request.headers["Authorization"] != "Bearer \(token)" {
            return StatusBody.unauthorized.response
        }
        if let fault = scenario.takeFault(path: request.path) { return fault.response }
        let response = Gzip.encoded(route(request), for: request, threshold: settings.gzipThresholdBytes)
        let delay = scenario.latency
        guard delay > .zero, response.stream == nil else { return response }
        return Self.delayed(response, by: delay)
    }

    private func route(_ request: HTTPRequest) -> HTTPResponse {
        guard let path = APIPath(request.path) else { return StatusBody.pathNotFound.response }
        let query = RequestQuery(request.query)
        switch (request.method, path.name) {
        case ("GET", nil):
            return query.flag("watch") ? watch(path, query: query, request: request) : list(path, query: query, request: request)
        case ("GET", let name?):
            guard let object = store.get(path.kind, namespace: path.namespace, name: name) else {
                return StatusBody.notFound(path.kind, name: name).response
            }
            return .kube(200, object.encoded(metadataOnly: Self.wantsMetadata(request, list: false)))
        case ("POST", nil): return create(path, query: query, request: request)
        case ("PUT", _?): return replace(path, query: query, request: request)
        case ("PATCH", _?): return patch(path, query: query, request: request)
        case ("DELETE", let name?):
            // DeleteOptions.preconditions.resourceVersion: 409 Conflict when the object moved on.
            let expected = (try? JSONParser.parse(request.body))?["preconditions"]?["resourceVersion"]?.stringValue
            switch store.delete(path.kind, namespace: path.namespace, name: name, expectedVersion: expected) {
            case .written(let object): return .kube(200, object.bytes)
            case .failed(let status): return status.response
            }
        default: return StatusBody.methodNotAllowed(request.method).response
        }
    }

    /// Whether the `Accept` header asks for `PartialObjectMetadata[List]`.
    static func wantsMetadata(_ request: HTTPRequest, list: Bool) -> Bool {
        let accept = request.headers.values(for: "Accept").joined(separator: ",")
        return accept.contains(list ? "as=PartialObjectMetadataList" : "as=PartialObjectMetadata")
    }

    /// `response`, sent after `delay` without holding the loop.
    static func delayed(_ response: HTTPResponse, by delay: Duration) -> HTTPResponse {
        let deferred = HTTPDeferredResponse()
        Task {
            try? await Task.sleep(for: delay)
            deferred.complete(response)
        }
        return .later(deferred)
    }

    /// The request's body as a JSON object, or a 400 Status.
    static func bodyObject(_ request: HTTPRequest, kind: ResourceKind) -> Result<JSONValue, StatusBody> {
        do {
            let value = try JSONParser.parse(request.body)
            guard case .object = value else {
                return .failure(.badRequest("the body of the request was in an unknown format - accepted media types include: application/json"))
            }
            return .success(value)
        } catch {
            return .failure(.badRequest("\(kind.kind) in version \"\(kind.version)\" cannot be handled as a \(kind.kind): \(error.description)"))
        }
    }
}
