import HTTPServerCore
import TroxileiaCore

/// What the webhook reads of an AdmissionReview v1 request, taken in one pass over the bytes.
///
/// A Node review is ~20 KB (object and oldObject with status.images); the decision needs a few
/// hundred bytes. `NodeJSON.readMetadata` (the one place node metadata is read) takes the
/// labels; everything else is skipped with its grammar checked.
public struct AdmissionReview: Sendable, Equatable {
    /// `apiVersion` and `kind`, echoed in the response.
    public var apiVersion: String
    public var kind: String
    /// `request.uid`, echoed in the response.
    public var uid: String
    /// `request.kind.kind` (`Node`).
    public var objectKind: String?
    /// `request.resource.resource` (`nodes`) and `request.subResource` (`status` or absent).
    public var resource: String?
    public var subResource: String?
    /// `request.operation`: CREATE, UPDATE, DELETE, CONNECT.
    public var operation: String?
    /// `request.name`.
    public var name: String?
    /// `request.userInfo.groups`.
    public var groups: [String] = []
    /// `request.object.metadata` and `request.oldObject.metadata`.
    public var object: NodeRecord?
    public var oldObject: NodeRecord?
    /// `request.dryRun`: a dry run must have no side effects (no reservation).
    public var dryRun = false

    /// The version we speak; v1beta1 was removed in Kubernetes 1.22.
    public static let supportedAPIVersion = "admission.k8s.io/v1"
}

/// Why a body is not a usable AdmissionReview: answered with 400 and this text.
public struct AdmissionReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

extension AdmissionReview {
    /// Reads an AdmissionReview from a request body.
    /// - Throws: `AdmissionReviewError` for malformed JSON, another apiVersion or kind, a missing
    ///   `request` or `request.uid`.
    public static func decode(_ body: [UInt8]) throws(AdmissionReviewError) -> AdmissionReview {
        var review = AdmissionReview(apiVersion: "", kind: "", uid: "")
        var hasRequest = false
        do {
            try JSONSkimmer.skim(body) { skimmer throws(JSONSkimError) in
                try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                    switch key {
                    case "apiVersion": review.apiVersion = try skimmer.readOptionalString() ?? ""
                    case "kind": review.kind = try skimmer.readOptionalString() ?? ""
                    case "request" where try skimmer.peekKind() == .object:
                        hasRequest = true
                        try readRequest(&skimmer, into: &review)
                    default: break
                    }
                }
            }
        } catch {
            throw AdmissionReviewError(description: "the body is not valid JSON: \(error)")
        }
        guard review.kind == "AdmissionReview" else {
            throw AdmissionReviewError(description: "expected kind AdmissionReview, got \(review.kind.isEmpty ? "none" : "\"\(review.kind.prefix(64))\"")")
        }
        guard review.apiVersion == supportedAPIVersion else {
            throw AdmissionReviewError(description: "expected apiVersion \(supportedAPIVersion), got \"\(review.apiVersion.prefix(64))\"; set admissionReviewVersions: [v1]")
        }
        guard hasRequest else { throw AdmissionReviewError(description: "the AdmissionReview has no request") }
        guard !review.uid.isEmpty else { throw AdmissionReviewError(description: "the AdmissionReview request has no uid") }
        return review
    }

    private static func readRequest(_ skimmer: inout JSONSkimmer, into review: inout AdmissionReview) throws(JSONSkimError) {
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            switch key {
            case "uid": review.uid = try skimmer.readOptionalString() ?? ""
            case "kind" where try skimmer.peekKind() == .object:
                review.objectKind = try readMember("kind", of: &skimmer)
            case "resource" where try skimmer.peekKind() == .object:
                review.resource = try readMember("resource", of: &skimmer)
            case "subResource": review.subResource = try skimmer.readOptionalString()
            case "operation": review.operation = try skimmer.readOptionalString()
            case "name": review.name = try skimmer.readOptionalString()
            case "dryRun" where try skimmer.peekKind() == .bool: review.dryRun = try skimmer.readBool()
            case "userInfo" where try skimmer.peekKind() == .object:
                try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                    guard key == "groups", try skimmer.peekKind() == .array else { return }
                    try skimmer.forEachElement { skimmer, _ throws(JSONSkimError) in
                        if try skimmer.peekKind() == .string { review.groups.append(try skimmer.readString()) }
                    }
                }
            case "object" where try skimmer.peekKind() == .object: review.object = try readNode(&skimmer)
            case "oldObject" where try skimmer.peekKind() == .object: review.oldObject = try readNode(&skimmer)
            default: break
            }
        }
    }

    /// The string member `name` of the object at hand; other members skipped.
    private static func readMember(_ name: String, of skimmer: inout JSONSkimmer) throws(JSONSkimError) -> String? {
        var value: String?
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            if key == name { value = try skimmer.readOptionalString() }
        }
        return value
    }

    private static func readNode(_ skimmer: inout JSONSkimmer) throws(JSONSkimError) -> NodeRecord? {
        var node: NodeRecord?
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            if key == "metadata", try skimmer.peekKind() == .object { node = try NodeJSON.readMetadata(&skimmer) }
        }
        return node ?? NodeRecord(name: "")
    }
}
