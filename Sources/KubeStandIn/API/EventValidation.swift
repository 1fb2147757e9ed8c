/// kube-apiserver's checks on an `events.k8s.io/v1` Event that are easy to get wrong
/// (fixtures/kube/events/03 and 04).
enum EventValidation {
    /// Checks `event` (created or replaced in `namespace`) and adds what the server adds
    /// (`deprecatedSource: {}`, `deprecatedFirstTimestamp`/`deprecatedLastTimestamp: null`).
    /// - Returns: the failure to answer with, or nil.
    static func check(_ event: inout JSONValue, namespace: String) -> StatusBody? {
        let name = event.metadataString("name") ?? ""
        guard let eventTime = event["eventTime"]?.stringValue else {
            return .invalid(.events, name: name, field: "eventTime", detail: "Required value")
        }
        if !hasMicroseconds(eventTime) {
            let rest = eventTime.utf8.count > 19 ? String(eventTime.dropFirst(19)) : ""
            return .badRequest("Event in version \"v1\" cannot be handled as a Event: parsing time \"\(eventTime.prefix(64))\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"\(rest.prefix(16))\" as \".000000\"")
        }
        // An object without a namespace (a cluster-scoped Node) is reported in `default`.
        let regardingNamespace = event["regarding"]?["namespace"]?.stringValue ?? ""
        if regardingNamespace != namespace && !(regardingNamespace.isEmpty && namespace == "default") {
            return .invalid(.events, name: name, field: "involvedObject.namespace",
                            detail: "Invalid value: \"\(regardingNamespace)\": does not match event.namespace")
        }
        for (key, value) in [("deprecatedSource", JSONValue.object([])), ("deprecatedFirstTimestamp", .null), ("deprecatedLastTimestamp", .null)]
        where event[key] == nil {
            event[key] = value
        }
        return nil
    }

    /// `2006-01-02T15:04:05.000000Z` or with a `±hh:mm` offset: exactly six fractional digits
    /// (Go's `metav1.MicroTime` layout).
    static func hasMicroseconds(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let shape = Array("dddd-dd-ddTdd:dd:dd.dddddd".utf8)
        guard bytes.count >= shape.count + 1 else { return false }
        for (byte, expected) in zip(bytes, shape) {
            if expected == UInt8(ascii: "d") {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            } else if byte != expected {
                return false
            }
        }
        let zone = String(decoding: bytes[shape.count...], as: UTF8.self)
        if zone == "Z" { return true }
        let zoneBytes = Array(zone.utf8)
        return zoneBytes.count == 6 && (zoneBytes[0] == UInt8(ascii: "+") || zoneBytes[0] == UInt8(ascii: "-"))
            && zoneBytes[3] == UInt8(ascii: ":")
    }
}
