import HTTPServerCore
import TroxileiaCore

/// Writes the AdmissionReview response JSON by hand: a handful of fields, so a generic encoder
/// would cost more than the decision itself.
enum AdmissionResponseEncoder {
    /// `{"apiVersion":…,"kind":…,"response":{"uid":…,"allowed":…,"status":{…},"warnings":[…]}}`.
    static func encode(review: AdmissionReview, decision: AdmissionDecision) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + (decision.denial?.message.utf8.count ?? 0) + decision.warnings.reduce(0) { $0 + $1.utf8.count + 3 })
        out.append(contentsOf: #"{"apiVersion":"#.utf8)
        appendString(review.apiVersion, to: &out)
        out.append(contentsOf: #","kind":"#.utf8)
        appendString(review.kind, to: &out)
        out.append(contentsOf: #","response":{"uid":"#.utf8)
        appendString(review.uid, to: &out)
        out.append(contentsOf: #","allowed":"#.utf8)
        out.append(contentsOf: (decision.isAllowed ? "true" : "false").utf8)
        if let denial = decision.denial {
            // 403 and Forbidden, as kube-apiserver expects: kubectl prints "Error from server (Forbidden)".
            out.append(contentsOf: #","status":{"code":403,"reason":"Forbidden","message":"#.utf8)
            appendString(denial.message, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        if !decision.warnings.isEmpty {
            out.append(contentsOf: #","warnings":["#.utf8)
            for (index, warning) in decision.warnings.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(warning, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// `{"error":"…"}`, the body of a 4xx answer.
    static func error(_ message: String) -> [UInt8] {
        var out = Array(#"{"error":"#.utf8)
        appendString(message, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func appendString(_ text: String, to out: inout [UInt8]) { JSONWriter.appendString(text, to: &out) }
}
