import Foundation

/// AdmissionReview v1 bodies as kube-apiserver sends them, for node label edits; with
/// `images` the node carries status like a real one (~20 KB at 40 images).
enum ReviewBuilder {
    static func review(uid: String = UUID().uuidString, name: String, operation: String = "UPDATE",
                       old: [String: String]? = [:], new: [String: String], groups: [String] = ["system:masters", "system:authenticated"],
                       dryRun: Bool = false, subResource: String? = nil, images: Int = 0) -> [UInt8] {
        var request: [String: Any] = [
            "uid": uid,
            "kind": ["group": "", "version": "v1", "kind": "Node"],
            "resource": ["group": "", "version": "v1", "resource": "nodes"],
            "requestKind": ["group": "", "version": "v1", "kind": "Node"],
            "name": name, "operation": operation,
            "userInfo": ["username": "someone", "groups": groups],
            "object": node(name: name, labels: new, images: images),
            "dryRun": dryRun,
        ]
        if let old, operation == "UPDATE" { request["oldObject"] = node(name: name, labels: old, images: images) }
        if let subResource { request["subResource"] = subResource }
        let review: [String: Any] = ["kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1", "request": request]
        return Array((try? JSONSerialization.data(withJSONObject: review)) ?? Data())
    }

    static func node(name: String, labels: [String: String], images: Int) -> [String: Any] {
        [
            "kind": "Node", "apiVersion": "v1",
            "metadata": ["name": name, "uid": UUID().uuidString, "resourceVersion": "918273", "labels": labels,
                         "annotations": ["node.alpha.kubernetes.io/ttl": "0"]],
            "spec": ["podCIDR": "10.244.3.0/24"],
            "status": [
                "conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"]],
                "images": (0..<images).map { ["names": ["registry.example.org/team/app-\($0)@sha256:\(String(repeating: "ab", count: 32))",
                                                         "registry.example.org/team/app-\($0):v1.\($0).3"], "sizeBytes": 100_000_000 + $0] },
            ],
        ]
    }

    /// The response's `response` object.
    static func response(_ body: [UInt8]) -> [String: Any]? {
        ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["response"] as? [String: Any]
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Admission/Fixtures/\(name)")))
    }
}
