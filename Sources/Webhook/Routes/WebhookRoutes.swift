import HTTPServerCore
import FoundationEssentials
import TroxileiaCore

/// The TLS listener's routes: `POST /validate` and nothing else.
public struct WebhookRoutes: HTTPResponder {
    private let admission: AdmissionHandler
    private let metrics: WebhookMetrics

    public init(admission: AdmissionHandler, metrics: WebhookMetrics) {
        self.admission = admission
        self.metrics = metrics
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = ContinuousClock.now
        metrics.requestStarted()
        let (route, response) = route(request, started: started)
        // A deferred answer (a port claim on its way) is counted when it is given.
        if response.deferred == nil {
            metrics.requestFinished()
            metrics.requestCompleted(route: route, status: response.status, duration: .now - started)
        }
        return response
    }

    private func route(_ request: HTTPRequest, started: ContinuousClock.Instant) -> (String, HTTPResponse) {
        guard request.path == "/validate" else {
            return ("other", .json(404, AdmissionResponseEncoder.error("no such path; the webhook serves POST /validate")))
        }
        guard request.method == "POST" else {
            var response = HTTPResponse.json(405, AdmissionResponseEncoder.error("/validate takes POST"))
            response.headers.add(name: "Allow", value: "POST")
            return ("/validate", response)
        }
        guard Self.isJSON(request.headers["Content-Type"]) else {
            return ("/validate", .json(415, AdmissionResponseEncoder.error("send the AdmissionReview as Content-Type: application/json")))
        }
        let metrics = self.metrics
        return ("/validate", admission.respond(toBody: request.body) { status in
            metrics.requestFinished()
            metrics.requestCompleted(route: "/validate", status: status, duration: .now - started)
        })
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`), any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingBlanks().lowercased() == "application/json"
    }
}
