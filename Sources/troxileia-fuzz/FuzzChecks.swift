import HTTPServerCore
import Webhook

/// Everything one input produced, and the invariants it broke.
///
/// The fuzz entry point traps on a non-empty ``violations``; the replay tool prints the whole
/// result. Crashes and hangs inside the parsers are findings too, caught by libFuzzer itself.
struct FuzzResult {
    /// `parseAll` with the default configuration.
    var events: [HTTPParseEvent]
    /// `parseAll` with ``HTTPWire/tinyConfiguration``.
    var tinyEvents: [HTTPParseEvent]
    /// `AdmissionReview.decode` of the raw input.
    var review: Result<AdmissionReview, AdmissionReviewError>
    /// `AdmissionReview.decode` of each default-configuration request's body, in order.
    var bodyReviews: [Result<AdmissionReview, AdmissionReviewError>]
    /// One sentence per broken invariant; empty when the input is fine.
    var violations: [String]
}

/// The fuzz oracles: runs one input through the HTTP parser and the AdmissionReview decoder and
/// checks properties that must hold for every input, not just "does not crash".
enum FuzzChecks {
    /// The statuses ``HTTPParseError`` documents; anything else would reach clients unexplained.
    static let knownStatuses: Set<Int> = [400, 411, 413, 431, 505]

    /// Runs every check on `bytes`. Never traps: the caller decides what a violation means.
    static func run(_ bytes: [UInt8]) -> FuzzResult {
        var violations: [String] = []
        let events = HTTPRequestParser.parseAll(bytes)
        let tinyEvents = HTTPRequestParser.parseAll(bytes, configuration: HTTPWire.tinyConfiguration)
        for (events, configuration, label) in [(events, HTTPRequestParser.Configuration(), "default"),
                                               (tinyEvents, HTTPWire.tinyConfiguration, "tiny")] {
            violations += checkSplits(bytes, oneShot: events, configuration: configuration, label: label)
            violations += checkEvents(events, configuration: configuration, label: label)
        }
        // Tighter limits can only refuse earlier: whatever the tiny parser accepts, the default
        // one accepts too, identically and in the same order.
        let tinyRequests = HTTPWire.requests(in: tinyEvents)
        if !HTTPWire.requests(in: events).starts(with: tinyRequests) {
            violations.append("tiny-limit requests are not a prefix of the default-limit requests")
        }
        let bodyReviews = HTTPWire.requests(in: events).map { decode($0.body, violations: &violations) }
        let review = decode(bytes, violations: &violations)
        return FuzzResult(events: events, tinyEvents: tinyEvents, review: review,
                          bodyReviews: bodyReviews, violations: violations)
    }

    /// The outcome must not depend on how the bytes arrive: cut in two at a data-derived
    /// offset, and one byte per read for small inputs (the parser's documented guarantee).
    private static func checkSplits(_ bytes: [UInt8], oneShot: [HTTPParseEvent],
                                    configuration: HTTPRequestParser.Configuration, label: String) -> [String] {
        let expected = HTTPWire.outcomes(oneShot)
        var violations: [String] = []
        let offset = HTTPWire.splitOffset(for: bytes)
        let split = HTTPWire.events(ofChunks: HTTPWire.split(bytes, at: offset), configuration: configuration)
        if HTTPWire.outcomes(split) != expected {
            violations.append("\(label): split at byte \(offset) gives \(split), one chunk gives \(oneShot)")
        }
        if bytes.count <= HTTPWire.byteByByteLimit {
            let single = HTTPWire.events(ofChunks: bytes.map { [$0] }, configuration: configuration)
            if HTTPWire.outcomes(single) != expected {
                violations.append("\(label): byte-by-byte gives \(single), one chunk gives \(oneShot)")
            }
        }
        return violations
    }

    /// Checks each event of a `parseAll` result on its own: documented statuses, bodies within
    /// the limit and as long as declared, and requests that survive a serialize/parse round trip.
    private static func checkEvents(_ events: [HTTPParseEvent],
                                    configuration: HTTPRequestParser.Configuration, label: String) -> [String] {
        var violations: [String] = []
        for event in events {
            switch event {
            case .error(let error) where !knownStatuses.contains(error.status):
                violations.append("\(label): undocumented status \(error.status): \(error.reason)")
            case .request(let request):
                violations += checkRequest(request, configuration: configuration, label: label)
            default:
                break
            }
        }
        return violations
    }

    /// The per-request oracles of ``checkEvents(_:configuration:label:)``.
    private static func checkRequest(_ request: HTTPRequest, configuration: HTTPRequestParser.Configuration,
                                     label: String) -> [String] {
        var violations: [String] = []
        let name = "\(label): \(request.method) \(request.target)"
        if request.body.count > configuration.maxBodyBytes {
            violations.append("\(name): body of \(request.body.count) bytes exceeds the limit \(configuration.maxBodyBytes)")
        }
        let declared = HTTPWire.declaredContentLength(of: request)
        if declared != request.body.count {
            violations.append("\(name): body has \(request.body.count) bytes, Content-Length declares \(String(describing: declared))")
        }
        if request.version != .http1_0 && request.version != .http1_1 {
            violations.append("\(name): accepted version \(request.version)")
        }
        let again = HTTPRequestParser.parseAll(HTTPWire.serialize(request), configuration: HTTPWire.unlimitedConfiguration)
        if again != [.request(request), .needMoreData] {
            violations.append("\(name): re-serialized request parses as \(again), expected \(request)")
        }
        return violations
    }

    /// Decodes `body`; a success must satisfy `decode`'s documented contract.
    private static func decode(_ body: [UInt8],
                               violations: inout [String]) -> Result<AdmissionReview, AdmissionReviewError> {
        let result = Result { () throws(AdmissionReviewError) in try AdmissionReview.decode(body) }
        if case .success(let review) = result {
            if review.kind != "AdmissionReview" || review.apiVersion != AdmissionReview.supportedAPIVersion {
                violations.append("decode accepted kind \(review.kind), apiVersion \(review.apiVersion)")
            }
            if review.uid.isEmpty { violations.append("decode accepted an empty request.uid") }
        }
        return result
    }
}
