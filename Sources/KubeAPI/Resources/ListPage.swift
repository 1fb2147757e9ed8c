import TroxileiaCore

/// One page of a list: its items, the list's resourceVersion and the token for the next page.
public struct ListPage<Value: Sendable & Hashable>: Sendable {
    public var items: [DecodedObject<Value>]
    /// `metadata.resourceVersion`: where a watch started after the last page resumes.
    public var resourceVersion: String
    /// `metadata.continue`; `nil` on the last page.
    public var continueToken: String?

    /// Only the `continue` token of a list body (items skipped, their grammar still checked): cheap
    /// enough to start fetching the next page before this one is decoded.
    public static func continueToken(of body: [UInt8]) -> String? {
        var token: String?
        _ = try? JSONSkimmer.skim(body) { skimmer throws(JSONSkimError) in
            try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                guard key == "metadata", try skimmer.peekKind() == .object else { return }
                try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                    if key == "continue" { token = try skimmer.readOptionalString() }
                }
            }
        }
        return token?.isEmpty == false ? token : nil
    }

    /// Reads a list body (`NodeList`, `PodList`, `PartialObjectMetadataList`).
    public static func decode<Codec: ResourceCodec>(_ body: [UInt8], as codec: Codec.Type)
        throws(KubeAPIError) -> ListPage<Codec.Value> where Codec.Value == Value {
        var page = ListPage(items: [], resourceVersion: "", continueToken: nil)
        do {
            try JSONSkimmer.skim(body) { skimmer throws(JSONSkimError) in
                try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                    switch key {
                    case "metadata" where try skimmer.peekKind() == .object:
                        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                            switch key {
                            case "resourceVersion": page.resourceVersion = try skimmer.readOptionalString() ?? ""
                            case "continue":
                                let token = try skimmer.readOptionalString()
                                page.continueToken = token?.isEmpty == false ? token : nil
                            default: break
                            }
                        }
                    case "items" where try skimmer.peekKind() == .array:
                        try skimmer.forEachElement { skimmer, _ throws(JSONSkimError) in
                            guard try skimmer.peekKind() == .object else { return }
                            if case .object(let object) = try ObjectReader.read(&skimmer, as: codec) {
                                page.items.append(object)
                            }
                        }
                    default: break
                    }
                }
            }
        } catch {
            throw .decoding(what: "list", reason: error.description)
        }
        return page
    }
}
