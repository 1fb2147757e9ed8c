import TroxileiaCore

/// The spec of a `coordination.k8s.io/v1` Lease, plus the resourceVersion to update it at.
public struct LeaseRecord: Sendable, Equatable {
    /// Who holds it; empty or `nil` when released.
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int?
    public var acquireTime: KubeTime?
    public var renewTime: KubeTime?
    public var leaseTransitions: Int
    /// The object's resourceVersion, for optimistic concurrency on PUT.
    public var resourceVersion: String

    public init(holderIdentity: String?, leaseDurationSeconds: Int?, acquireTime: KubeTime?, renewTime: KubeTime?,
                leaseTransitions: Int = 0, resourceVersion: String = "") {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
        self.resourceVersion = resourceVersion
    }

    /// Reads a Lease object.
    public static func decode(_ body: [UInt8]) throws(KubeAPIError) -> LeaseRecord {
        var record = LeaseRecord(holderIdentity: nil, leaseDurationSeconds: nil, acquireTime: nil, renewTime: nil)
        do {
            try JSONSkimmer.skim(body) { skimmer throws(JSONSkimError) in
                try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                    switch key {
                    case "metadata" where try skimmer.peekKind() == .object:
                        record.resourceVersion = try ObjectMetadata.read(&skimmer).resourceVersion
                    case "spec" where try skimmer.peekKind() == .object:
                        try readSpec(&skimmer, into: &record)
                    default: break
                    }
                }
            }
        } catch {
            throw .decoding(what: "Lease", reason: error.description)
        }
        return record
    }

    private static func readSpec(_ skimmer: inout JSONSkimmer, into record: inout LeaseRecord) throws(JSONSkimError) {
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            switch key {
            case "holderIdentity": record.holderIdentity = try skimmer.readOptionalString()
            case "leaseDurationSeconds" where try skimmer.peekKind() == .number: record.leaseDurationSeconds = try skimmer.readInt()
            case "acquireTime": record.acquireTime = try skimmer.readOptionalString().flatMap(KubeTime.init)
            case "renewTime": record.renewTime = try skimmer.readOptionalString().flatMap(KubeTime.init)
            case "leaseTransitions" where try skimmer.peekKind() == .number: record.leaseTransitions = try skimmer.readInt()
            default: break
            }
        }
    }

    /// The Lease object for POST (no resourceVersion) or PUT (with it). Times are MicroTime.
    public func encoded(name: String, namespace: String) -> [UInt8] {
        var json = JSONWriter()
        json.raw(#"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"#)
        json.field("name", name)
        json.raw(",")
        json.field("namespace", namespace)
        if !resourceVersion.isEmpty {
            json.raw(",")
            json.field("resourceVersion", resourceVersion)
        }
        json.raw(#"},"spec":{"#)
        json.field("holderIdentity", holderIdentity ?? "")
        if let leaseDurationSeconds { json.raw(#","leaseDurationSeconds":\#(leaseDurationSeconds)"#) }
        if let acquireTime { json.raw(","); json.field("acquireTime", acquireTime.microTime) }
        if let renewTime { json.raw(","); json.field("renewTime", renewTime.microTime) }
        json.raw(#","leaseTransitions":\#(leaseTransitions)}}"#)
        return json.bytes
    }
}
