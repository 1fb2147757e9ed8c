import TroxileiaCore

/// Reads one object of any kind: a resource through its codec, or a `Status` (what a watch
/// sends as an ERROR event and what error responses carry).
enum ObjectReader {
    /// What one object turned out to be.
    enum Outcome<Value: Sendable & Hashable> {
        case object(DecodedObject<Value>)
        case status(KubeStatus)
    }

    static func read<Codec: ResourceCodec>(_ skimmer: inout JSONSkimmer, as codec: Codec.Type)
        throws(JSONSkimError) -> Outcome<Codec.Value> {
        var kind: String?
        var metadata = ObjectMetadata()
        var partial = Codec.emptyPartial()
        var status = StatusFields()
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            switch key {
            case "kind": kind = try skimmer.readOptionalString()
            case "apiVersion": break
            case "metadata" where try skimmer.peekKind() == .object: metadata = try ObjectMetadata.read(&skimmer)
            case "code" where try skimmer.peekKind() == .number: status.code = try skimmer.readInt()
            case "reason" where try skimmer.peekKind() == .string: status.reason = try skimmer.readString()
            case "message" where try skimmer.peekKind() == .string: status.message = try skimmer.readString()
            // A Status's `status` is the string "Failure"; a resource's is an object for its codec.
            case "status" where try skimmer.peekKind() == .string: _ = try skimmer.readString()
            default: try Codec.read(key, &skimmer, into: &partial)
            }
        }
        if kind == "Status" { return .status(status.kubeStatus) }
        return .object(DecodedObject(key: Codec.key(metadata), resourceVersion: metadata.resourceVersion,
                                     value: Codec.finish(metadata, partial)))
    }

    struct StatusFields {
        var code: Int?
        var reason: String?
        var message: String?

        var kubeStatus: KubeStatus {
            KubeStatus(code: code ?? 500, reason: reason ?? "Unknown", message: message ?? "")
        }
    }
}

extension KubeStatus {
    /// The error an HTTP response carries: its `Status` body when it has one, else the HTTP
    /// status with the start of the body. `Retry-After` (seconds) is kept for 429 and 5xx.
    public static func from(_ response: KubeResponse) -> KubeStatus {
        var status: KubeStatus
        let read = try? JSONSkimmer.skim(response.body) { skimmer throws(JSONSkimError) in
            try ObjectReader.read(&skimmer, as: NodeCodec.self)
        }
        if case .status(let decoded)? = read {
            status = decoded
            if status.code == 500 && response.status != 500 { status.code = response.status }
        } else {
            let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            status = KubeStatus(code: response.status, reason: "HTTP\(response.status)",
                                message: text.isEmpty ? "no body" : text)
        }
        if let retryAfter = response.headers["retry-after"].flatMap(Int.init), retryAfter >= 0 {
            status.retryAfter = .seconds(min(retryAfter, 600))
        }
        return status
    }
}
