import TroxileiaCore

/// Sensor Pods: node, phase, and the `Ready` condition with its last transition. Keyed by UID
/// (a pod recreated under the same name is a different pod with its own readiness history).
public enum PodCodec: ResourceCodec {
    public struct Partial {
        var nodeName: String?
        var phase: String?
        var ready: PodRecord.Readiness?
        var readySince: KubeTime?
    }

    public static func emptyPartial() -> Partial { Partial() }

    public static func read(_ key: String, _ skimmer: inout JSONSkimmer, into partial: inout Partial) throws(JSONSkimError) {
        switch key {
        case "spec" where try skimmer.peekKind() == .object:
            try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                if key == "nodeName" { partial.nodeName = try skimmer.readOptionalString() }
            }
        case "status" where try skimmer.peekKind() == .object:
            try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
                switch key {
                case "phase": partial.phase = try skimmer.readOptionalString()
                case "conditions" where try skimmer.peekKind() == .array:
                    try skimmer.forEachElement { skimmer, _ throws(JSONSkimError) in
                        guard try skimmer.peekKind() == .object else { return }
                        try readCondition(&skimmer, into: &partial)
                    }
                default: break
                }
            }
        default: break
        }
    }

    private static func readCondition(_ skimmer: inout JSONSkimmer, into partial: inout Partial) throws(JSONSkimError) {
        var type: String?, status: String?, transition: String?
        try skimmer.forEachMember { skimmer, key throws(JSONSkimError) in
            switch key {
            case "type": type = try skimmer.readOptionalString()
            case "status": status = try skimmer.readOptionalString()
            case "lastTransitionTime": transition = try skimmer.readOptionalString()
            default: break
            }
        }
        guard type == "Ready" else { return }
        partial.ready = status.flatMap(PodRecord.Readiness.init(rawValue:)) ?? .unknown
        partial.readySince = transition.flatMap(KubeTime.init)
    }

    public static func finish(_ metadata: ObjectMetadata, _ partial: Partial) -> PodRecord {
        PodRecord(namespace: metadata.namespace, name: metadata.name, uid: metadata.uid, nodeName: partial.nodeName,
                  phase: partial.phase, createdAt: metadata.creationTimestamp.flatMap(KubeTime.init),
                  isTerminating: metadata.deletionTimestamp != nil, ready: partial.ready, readySince: partial.readySince)
    }

    public static func key(_ metadata: ObjectMetadata) -> String { metadata.uid.isEmpty ? "\(metadata.namespace)/\(metadata.name)" : metadata.uid }
}
