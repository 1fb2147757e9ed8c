/// Everything that can go wrong talking to the Kubernetes API, with the context to act on it.
/// No case ever carries a token, key or password.
public enum KubeAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A missing or broken piece of configuration: the file and field it came from.
    case configuration(file: String?, field: String?, problem: String)
    /// The request did not get an HTTP answer: connection refused, TLS failure, timeout.
    case transport(operation: String, reason: String)
    /// The API answered with an error `Status`.
    case status(KubeStatus)
    /// A body that is not what the API sends.
    case decoding(what: String, reason: String)
    /// The caller cancelled the operation.
    case cancelled

    public var description: String {
        switch self {
        case .configuration(let file, let field, let problem):
            let location = [file, field].compactMap { $0 }.joined(separator: ": ")
            return location.isEmpty ? "invalid Kubernetes configuration: \(problem)"
                : "invalid Kubernetes configuration (\(location)): \(problem)"
        case .transport(let operation, let reason):
            return "failed to \(operation): \(reason)"
        case .status(let status):
            return "\(status)"
        case .decoding(let what, let reason):
            return "failed to decode \(what): \(reason)"
        case .cancelled:
            return "cancelled"
        }
    }
}

/// A Kubernetes `Status` error: what the API said, typed.
public struct KubeStatus: Sendable, Equatable, CustomStringConvertible {
    /// HTTP-like code: 404, 409, 410, 422, 429, 500.
    public var code: Int
    /// Machine reason: `NotFound`, `Conflict`, `AlreadyExists`, `Expired`, `Gone`, `Invalid`,
    /// `Forbidden`, `Unauthorized`, `TooManyRequests`.
    public var reason: String
    /// The API's message for a person.
    public var message: String
    /// `Retry-After` of a 429 (or 5xx), when the server sent one.
    public var retryAfter: Duration?

    public init(code: Int, reason: String, message: String, retryAfter: Duration? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.retryAfter = retryAfter
    }

    /// 410 Gone / Expired: the resourceVersion is too old, list again.
    public var isGone: Bool { code == 410 }
    /// 409 Conflict on a stale resourceVersion (not AlreadyExists).
    public var isConflict: Bool { code == 409 && reason != "AlreadyExists" }
    public var isNotFound: Bool { code == 404 }
    public var isAlreadyExists: Bool { code == 409 && reason == "AlreadyExists" }
    /// 403 Forbidden: RBAC does not (or no longer) allow the request.
    public var isForbidden: Bool { code == 403 }
    /// 401 Unauthorized: the credential is not (or no longer) accepted.
    public var isUnauthorized: Bool { code == 401 }

    public var description: String { "the API answered \(code) \(reason): \(message)" }
}
