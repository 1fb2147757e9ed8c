import Testing
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook

@Suite struct AdmissionReviewTests {
    @Test func readsWhatTheDecisionNeedsFromARealRequest() throws {
        let review = try AdmissionReview.decode(try ReviewBuilder.fixture("04-status-subresource-label-change.json"))
        #expect(review.apiVersion == "admission.k8s.io/v1" && review.kind == "AdmissionReview")
        #expect(!review.uid.isEmpty)
        #expect(review.objectKind == "Node" && review.resource == "nodes" && review.subResource == "status")
        #expect(review.operation == "UPDATE" && review.name == "sensor-04" && !review.dryRun)
        #expect(review.groups == ["system:masters", "system:authenticated"])
        #expect(review.object?.labels["port"] == "1_1_x4")
        #expect(review.oldObject?.labels["port"] == "1_1_x3")
    }

    @Test func readsDryRunAndCreateWithoutOldObject() throws {
        #expect(try AdmissionReview.decode(try ReviewBuilder.fixture("05-label-dry-run-server.json")).dryRun)
        let create = try AdmissionReview.decode(try ReviewBuilder.fixture("09-create-node-port-label-only.json"))
        #expect(create.operation == "CREATE" && create.oldObject == nil)
        #expect(create.object?.labels == ["port": "1_3_c1x2"])
    }

    @Test(arguments: [
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ("[]", "not valid JSON"),
        (#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"}"#, "has no request"),
        (#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":null}"#, "has no request"),
        (#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{}}"#, "has no uid"),
        (#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1beta1","request":{"uid":"u"}}"#, "admissionReviewVersions: [v1]"),
        (#"{"kind":"Pod","apiVersion":"v1"}"#, "expected kind AdmissionReview"),
        (#"{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"u","object":{"metadata":{"labels":{"port":7}}}}}"#, "must be a string"),
    ])
    func refusesUnusableBodies(body: String, reason: String) {
        do {
            _ = try AdmissionReview.decode(Array(body.utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test func encodesADenialWithStatusAndWarnings() throws {
        let review = AdmissionReview(apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", uid: "u-1")
        let decision = AdmissionDecision.denied(AdmissionDenial(reason: .duplicateTapPort, message: "a \"quoted\"\nline\u{1}"),
                                                warnings: ["w1", "w\\2"])
        let text = String(decoding: AdmissionResponseEncoder.encode(review: review, decision: decision), as: UTF8.self)
        #expect(text == #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u-1","allowed":false,"status":{"code":403,"reason":"Forbidden","message":"a \"quoted\"\nline\u0001"},"warnings":["w1","w\\2"]}}"#)
        #expect(ReviewBuilder.response(Array(text.utf8))?["allowed"] as? Bool == false)
    }

    @Test func encodesAPlainAllow() {
        let review = AdmissionReview(apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", uid: "u-2")
        let text = String(decoding: AdmissionResponseEncoder.encode(review: review, decision: .allowed()), as: UTF8.self)
        #expect(text == #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u-2","allowed":true}}"#)
    }
}
