import TroxileiaCore

/// One event of a watch stream.
public enum WatchEvent<Value: Sendable & Hashable>: Sendable, Equatable {
    case added(DecodedObject<Value>)
    case modified(DecodedObject<Value>)
    /// The object's last state, at the deletion's resourceVersion.
    case deleted(DecodedObject<Value>)
    /// Nothing changed up to `resourceVersion`; `initialEventsEnd` marks the end of the initial
    /// burst of a `sendInitialEvents` watch.
    case bookmark(resourceVersion: String, initialEventsEnd: Bool)
    /// The server ended the watch with a Status; 410 Expired means "list again". kube-apiserver
    /// sends it inside an HTTP 200 stream, then closes.
    case error(KubeStatus)

    /// The resourceVersion a watch resumes from after this event, if it carries one.
    public var resourceVersion: String? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object):
            object.resourceVersion.isEmpty ? nil : object.resourceVersion
        case .bookmark(let resourceVersion, _): resourceVersion.isEmpty ? nil : resourceVersion
        case .error: nil
        }
    }

    /// The event's `type` as the wire names it, for messages.
    public var typeName: String {
        switch self {
        case .added: "ADDED"
        case .modified: "MODIFIED"
        case .deleted: "DELETED"
        case .bookmark(_, let end): end ? "BOOKMARK (initial-events-end)" : "BOOKMARK"
        case .error: "ERROR"
        }
    }

    /// Reads one line of a watch stream: `{"type":"ADDED","object":{…}}`.
    public static func decode<Codec: ResourceCodec>(_ line: [UInt8], as codec: Codec.Type)
        throws(KubeAPIError) -> WatchEvent<Codec.Value> where Codec.Value == Value {
        var type: String?
        var outcome: ObjectReader.Outcome<Value>?
        var bookmark: (String, Bool)?
        do {
            try JSONSkimmer.skim(line) { skimmer throws(JSONSkimError) in
                try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                    switch key {
                    case "type": type = try skimmer.readOptionalString()
                    case "object" where try skimmer.peekKind() == .object:
                        if type == "BOOKMARK" {
                            bookmark = try readBookmark(&skimmer)
                        } else {
                            outcome = try ObjectReader.read(&skimmer, as: codec)
                        }
                    default: break
                    }
                }
            }
        } catch {
            throw .decoding(what: "watch event", reason: error.description)
        }
        switch (type, outcome) {
        case ("ADDED", .object(let object)?): return .added(object)
        case ("MODIFIED", .object(let object)?): return .modified(object)
        case ("DELETED", .object(let object)?): return .deleted(object)
        case ("ERROR", .status(let status)?): return .error(status)
        case ("BOOKMARK", _):
            // `object` came before `type` in this line: its metadata still holds the version.
            if let bookmark { return .bookmark(resourceVersion: bookmark.0, initialEventsEnd: bookmark.1) }
            if case .object(let object)? = outcome { return .bookmark(resourceVersion: object.resourceVersion, initialEventsEnd: false) }
            throw .decoding(what: "watch event", reason: "BOOKMARK without object")
        default:
            throw .decoding(what: "watch event", reason: "unexpected type \(type.map { "\"\($0.prefix(32))\"" } ?? "none")")
        }
    }

    /// A bookmark's object is a near-empty skeleton: only metadata.resourceVersion and the
    /// `k8s.io/initial-events-end` annotation mean anything.
    private static func readBookmark(_ skimmer: inout JSONSkimmer) throws(JSONSkimError) -> (String, Bool) {
        var metadata = ObjectMetadata()
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            if key == "metadata", try skimmer.peekKind() == .object { metadata = try ObjectMetadata.read(&skimmer) }
        }
        return (metadata.resourceVersion, metadata.annotations["k8s.io/initial-events-end"] == "true")
    }
}
