import Foundation
import KubeAPI
import Logging
import Synchronization

/// Calls the validating webhook as kube-apiserver does: `POST <url>?timeout=5s` with an
/// AdmissionReview v1, `failurePolicy: Fail`, over the libcurl transport (off the event loop).
///
/// With several URLs (the replicas behind a webhook Service) each call goes to one of them, in
/// turn or at random (``KubeStandIn/WebhookSettings/Spread``), as kube-apiserver's calls spread
/// over the Service's endpoints.
final class AdmissionCaller: Sendable {
    /// One webhook URL: its transport (one connection pool each) and its path.
    private struct Endpoint: Sendable {
        let transport: CurlTransport
        let path: String
    }

    /// The webhook's name in denial messages (`admission webhook "<name>" denied the request: …`).
    let webhookName: String
    private let endpoints: [Endpoint]
    private let spread: KubeStandIn.WebhookSettings.Spread
    private let nextEndpoint = Mutex(0)
    private let timeoutSeconds: Int
    private let logger: Logger

    /// - Throws: `KubeAPIError.configuration` for no URL, or one that is not `http(s)://host[:port]/path`.
    init(urls: [String], spread: KubeStandIn.WebhookSettings.Spread, certificateAuthority: CertificateSource?,
         webhookName: String, timeoutSeconds: Int, logger: Logger) throws(KubeAPIError) {
        guard !urls.isEmpty else { throw .configuration(file: nil, field: "webhookURL", problem: "no webhook URL") }
        var endpoints: [Endpoint] = []
        for url in urls {
            guard let scheme = url.range(of: "://") else {
                throw .configuration(file: nil, field: "webhookURL", problem: "not a URL: \(url)")
            }
            let slash = url[scheme.upperBound...].firstIndex(of: "/") ?? url.endIndex
            var configuration = CurlTransport.Configuration(server: String(url[..<slash]))
            configuration.certificateAuthority = certificateAuthority
            configuration.allowPlainHTTP = url.hasPrefix("http://")
            configuration.userAgent = "kube-apiserver-admission"
            configuration.connectTimeout = .seconds(timeoutSeconds)
            let rest = String(url[slash...])
            endpoints.append(Endpoint(transport: try CurlTransport(configuration: configuration), path: rest.isEmpty ? "/" : rest))
        }
        self.endpoints = endpoints
        self.spread = spread
        self.webhookName = webhookName
        self.timeoutSeconds = timeoutSeconds
        self.logger = logger
    }

    /// The endpoint for the next call.
    private func pickEndpoint() -> Endpoint {
        let index: Int = switch spread {
        case .roundRobin: nextEndpoint.withLock { next in
            defer { next = (next + 1) % endpoints.count }
            return next
        }
        case .random: Int.random(in: 0..<endpoints.count)
        }
        return endpoints[index]
    }

    /// Asks the webhook about `call`. A failed call or an unreadable answer denies with 500
    /// InternalError, as `failurePolicy: Fail` does.
    func review(_ call: AdmissionCall) async -> AdmissionVerdict {
        let uid = UUID().uuidString.lowercased()
        let endpoint = pickEndpoint()
        let path = endpoint.path
        let separator = path.contains("?") ? "&" : "?"
        let request = KubeRequest(method: .post, path: "\(path)\(separator)timeout=\(timeoutSeconds)s", accept: "application/json, */*",
                                  contentType: "application/json", body: call.review(uid: uid).bytes,
                                  timeout: .seconds(timeoutSeconds))
        let response: KubeResponse
        do {
            response = try await endpoint.transport.send(request)
        } catch {
            logger.warning("failed to call the admission webhook", metadata: ["error": "\(error)"])
            return .denied(failure("failed to call webhook: \(error)"), warnings: [])
        }
        guard response.status == 200, let review = try? JSONParser.parse(response.body),
              let answer = review["response"], case .bool(let allowed)? = answer["allowed"] else {
            return .denied(failure("received invalid webhook response: HTTP \(response.status)"), warnings: [])
        }
        var warnings: [String] = []
        if case .array(let items)? = answer["warnings"] { warnings = items.compactMap(\.stringValue) }
        if allowed { return .allowed(warnings: warnings) }
        let status = answer["status"]
        var code = 403
        if case .number(let text)? = status?["code"], let value = Int(text), (400...599).contains(value) { code = value }
        let message = status?["message"]?.stringValue ?? ""
        let denial = StatusBody(code: code, reason: status?["reason"]?.stringValue ?? "Forbidden",
                                message: "admission webhook \"\(webhookName)\" denied the request: \(message)")
        return .denied(denial, warnings: warnings)
    }

    private func failure(_ cause: String) -> StatusBody {
        StatusBody(code: 500, reason: "InternalError",
                   message: "Internal error occurred: failed calling webhook \"\(webhookName)\": \(cause)")
    }

    /// Stops the transports' threads.
    func shutdown() async {
        for endpoint in endpoints { await endpoint.transport.shutdown() }
    }
}
