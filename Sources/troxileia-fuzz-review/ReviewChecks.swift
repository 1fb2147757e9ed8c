import HTTPServerCore
import Logging
import TroxileiaCore
import Webhook

/// What one AdmissionReview body produced, and the invariants it broke.
struct ReviewResult {
    /// `AdmissionReview.decode` of the input.
    var review: Result<AdmissionReview, AdmissionReviewError>
    /// The webhook's answer to the input as a `/validate` body (decode, decide, encode).
    var response: HTTPResponse
    /// One sentence per broken invariant; empty when the input is fine.
    var violations: [String]
}

/// The oracles of the JSON-focused target: the input is a request body, fed to the decoder and to
/// the whole admission path, whose answer must be well-formed JSON that echoes the review's uid.
enum ReviewChecks {
    /// Two sensors holding ports 1_1_x1 and 1_1_x2, so decisions reach the duplicate-port path.
    static let inventory = FixedInventory(nodes: [
        NodeRecord(name: "sensor-01", labels: ["sensor": "true", "port": "1_1_x1"]),
        NodeRecord(name: "sensor-02", labels: ["sensor": "true", "port": "1_1_x2"]),
    ])
    /// One metrics registry for the run (it only grows by closed label sets).
    static let metrics = WebhookMetrics()

    /// Runs every check on `body`. Never traps: the caller decides what a violation means.
    static func run(_ body: [UInt8]) -> ReviewResult {
        var violations: [String] = []
        let review = Result { () throws(AdmissionReviewError) in try AdmissionReview.decode(body) }
        let again = Result { () throws(AdmissionReviewError) in try AdmissionReview.decode(body) }
        if review != again { violations.append("decoding the same bytes twice gave \(review) and \(again)") }
        if case .success(let decoded) = review {
            if decoded.kind != "AdmissionReview" || decoded.apiVersion != AdmissionReview.supportedAPIVersion {
                violations.append("decode accepted kind \(decoded.kind), apiVersion \(decoded.apiVersion)")
            }
            if decoded.uid.isEmpty { violations.append("decode accepted an empty request.uid") }
        }
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        // Fresh reservations per input, so each input's decision depends on nothing before it.
        let handler = AdmissionHandler(policy: AdmissionPolicy(mode: .enforce), inventory: inventory,
                                       reservations: PortReservations(ttl: .seconds(10)), metrics: metrics, logger: logger)
        let response = handler.respond(toBody: body)
        violations += checkResponse(response, for: review)
        return ReviewResult(review: review, response: response, violations: violations)
    }

    /// 200 for a decodable review and 400 otherwise; the 200 body is JSON whose `response.uid` is
    /// the review's uid, byte for byte, with a boolean `allowed` (the encoder escapes correctly).
    private static func checkResponse(_ response: HTTPResponse, for review: Result<AdmissionReview, AdmissionReviewError>) -> [String] {
        switch review {
        case .failure:
            return response.status == 400 ? [] : ["an undecodable review was answered \(response.status)"]
        case .success(let decoded):
            guard response.status == 200 else { return ["a decodable review was answered \(response.status)"] }
            var uid: String?
            var allowed: Bool?
            do {
                try JSONSkimmer.skim(response.body) { skimmer throws(JSONSkimError) in
                    try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                        guard key == "response" else { return try skimmer.skipValue() }
                        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                            switch key {
                            case "uid": uid = try skimmer.readString()
                            case "allowed": allowed = try skimmer.readBool()
                            default: try skimmer.skipValue()
                            }
                        }
                    }
                }
            } catch {
                return ["the answer is not JSON (\(error)): \(String(decoding: response.body.prefix(200), as: UTF8.self))"]
            }
            var violations: [String] = []
            if uid != decoded.uid { violations.append("the answer's uid \(uid ?? "none") differs from the review's \(decoded.uid)") }
            if allowed == nil { violations.append("the answer has no boolean allowed") }
            return violations
        }
    }
}

/// A node inventory that never changes.
struct FixedInventory: NodeInventory {
    private let fixed: NodeSnapshot

    init(nodes: [NodeRecord]) { fixed = NodeSnapshot(nodes: nodes, keys: .default) }

    func snapshot() -> NodeSnapshot { fixed }
    var isSynced: Bool { true }
    func changes() -> AsyncStream<Int> { AsyncStream { $0.finish() } }
}
