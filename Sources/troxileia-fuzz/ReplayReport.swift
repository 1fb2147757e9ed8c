import HTTPServerCore
import Webhook

/// The replay tool's text: one summary line per event and decode, so a reproducer's effect can
/// be read at a glance and compared before and after a fix.
enum ReplayReport {
    /// The report for one replayed file: header line, both parses, the decodes, the verdict.
    static func lines(for result: FuzzResult, path: String, size: Int) -> [String] {
        var lines = ["\(path): \(size) bytes"]
        lines += result.events.map { "  http:       " + describe($0) }
        lines += result.tinyEvents.map { "  http(tiny): " + describe($0) }
        lines += result.bodyReviews.enumerated().map { "  body \($0.offset + 1):     " + describe($0.element) }
        lines.append("  admission:  " + describe(result.review))
        if result.violations.isEmpty {
            lines.append("  invariants: ok")
        } else {
            lines += result.violations.map { "  VIOLATION:  " + $0 }
        }
        return lines
    }

    /// One parse event, requests reduced to their request line, header count and body size.
    static func describe(_ event: HTTPParseEvent) -> String {
        switch event {
        case .needMoreData:
            return "needMoreData"
        case .expectContinue:
            return "expectContinue"
        case .request(let request):
            return "request \(request.method) \(request.target) \(request.version), "
                + "\(request.headers.count) header fields, \(request.body.count) body bytes"
        case .error(let error):
            return "error \(error.status): \(error.reason)"
        }
    }

    /// One decode result: the fields the admission handler decides on, or the error text.
    static func describe(_ result: Result<AdmissionReview, AdmissionReviewError>) -> String {
        switch result {
        case .failure(let error):
            return "error: \(error)"
        case .success(let review):
            let operation = review.operation ?? "-"
            let subResource = review.subResource.map { "/" + $0 } ?? ""
            let object = review.object.map { "object \"\($0.name)\" (\($0.labels.count) labels)" } ?? "no object"
            let oldObject = review.oldObject.map { ", oldObject \"\($0.name)\"" } ?? ""
            return "review uid \(review.uid) \(operation) \(review.resource ?? "-")\(subResource)"
                + " \(review.name ?? "-"): \(object)\(oldObject)\(review.dryRun ? ", dry run" : "")"
        }
    }
}
