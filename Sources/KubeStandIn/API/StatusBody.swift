import HTTPServerCore

/// A Kubernetes `Status` failure, written with kube-apiserver's exact field order:
/// `kind`, `apiVersion`, `metadata`, `status`, `message`, `reason`, `details`, `code`
/// (fixtures/kube/errors/*.json).
public struct StatusBody: Error, Sendable, Equatable {
    /// One `details.causes[]` entry.
    public struct Cause: Sendable, Equatable {
        /// `FieldValueInvalid`.
        public var reason: String
        /// The cause's message (without the field).
        public var message: String
        /// The field path: `metadata.labels`.
        public var field: String
        /// A cause with the three fields.
        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// HTTP status and `code`.
    public var code: Int
    /// `NotFound`, `Conflict`, `AlreadyExists`, `Expired`, `Invalid`, `BadRequest`, …
    public var reason: String
    /// The message for a person.
    public var message: String
    /// `details.name`, `details.group`, `details.kind`: omitted when nil, as the real server does.
    public var name: String?
    public var group: String?
    public var kind: String?
    /// `details.causes` (422 Invalid).
    public var causes: [Cause] = []
    /// `metadata.continue` (only the expired-continue 410 carries one).
    public var continueToken: String?
    /// `Retry-After` seconds for 429 and 5xx.
    public var retryAfter: Int?

    /// A Status without causes, continue token or Retry-After.
    public init(code: Int, reason: String, message: String, name: String? = nil, group: String? = nil, kind: String? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
    }

    /// The Status as a JSON value.
    public var json: JSONValue {
        var metadata: [(String, JSONValue)] = []
        if let continueToken { metadata.append(("continue", .string(continueToken))) }
        var members: [(String, JSONValue)] = [
            ("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object(metadata)),
            ("status", .string("Failure")), ("message", .string(message)), ("reason", .string(reason)),
        ]
        var details: [(String, JSONValue)] = []
        if let name { details.append(("name", .string(name))) }
        if let group { details.append(("group", .string(group))) }
        if let kind { details.append(("kind", .string(kind))) }
        if !causes.isEmpty {
            details.append(("causes", .array(causes.map {
                .object([("reason", .string($0.reason)), ("message", .string($0.message)), ("field", .string($0.field))])
            })))
        }
        if !details.isEmpty { members.append(("details", .object(details))) }
        members.append(("code", .int(code)))
        return .object(members)
    }

    /// The HTTP response: the Status as its body, its code as the HTTP status.
    public var response: HTTPResponse {
        var response = HTTPResponse.kube(code, json.bytes)
        if let retryAfter { response.headers.add(name: "Retry-After", value: String(retryAfter)) }
        return response
    }

    // MARK: The failures the stand-in sends

    /// 404: `nodes "sensor-99" not found`.
    static func notFound(_ resource: ResourceKind, name: String) -> StatusBody {
        StatusBody(code: 404, reason: "NotFound", message: "\(resource.qualifiedPlural) \"\(name)\" not found",
                   name: name, group: resource.groupOrNil, kind: resource.plural)
    }

    /// 409 AlreadyExists.
    static func alreadyExists(_ resource: ResourceKind, name: String) -> StatusBody {
        StatusBody(code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedPlural) \"\(name)\" already exists",
                   name: name, group: resource.groupOrNil, kind: resource.plural)
    }

    /// 409 Conflict on a stale resourceVersion.
    static func conflict(_ resource: ResourceKind, name: String) -> StatusBody {
        StatusBody(code: 409, reason: "Conflict",
                   message: "Operation cannot be fulfilled on \(resource.qualifiedPlural) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                   name: name, group: resource.groupOrNil, kind: resource.plural)
    }

    /// 400 BadRequest.
    static func badRequest(_ message: String) -> StatusBody {
        StatusBody(code: 400, reason: "BadRequest", message: message)
    }

    /// 422 Invalid with one cause.
    static func invalid(_ resource: ResourceKind, name: String, field: String, detail: String) -> StatusBody {
        var status = StatusBody(code: 422, reason: "Invalid",
                                message: "\(resource.kind) \"\(name)\" is invalid: \(field): \(detail)",
                                name: name, kind: resource.kind)
        status.causes = [Cause(reason: "FieldValueInvalid", message: detail, field: field)]
        return status
    }

    /// 410 Expired for a list from a compacted resourceVersion (gone/list-exact-rv-compacted.json).
    static let listTooOld = StatusBody(code: 410, reason: "Expired", message: "The resourceVersion for the provided list is too old.")

    /// 405 for a method a path does not take.
    static func methodNotAllowed(_ method: String) -> StatusBody {
        StatusBody(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
    }

    /// 404 for a path the stand-in does not serve (kube-apiserver answers the same way).
    static let pathNotFound = StatusBody(code: 404, reason: "NotFound", message: "the server could not find the requested resource")

    /// 401 as in errors/401-unauthorized-bad-token.json: no details.
    static let unauthorized = StatusBody(code: 401, reason: "Unauthorized", message: "Unauthorized")
}

extension HTTPResponse {
    /// A JSON response with kube-apiserver's `Cache-Control` and `Content-Type` headers.
    static func kube(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Cache-Control", value: "no-cache, private")
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}
