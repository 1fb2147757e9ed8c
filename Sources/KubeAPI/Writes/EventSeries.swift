import TroxileiaCore

/// Which events were recorded recently, for aggregation into a series.
struct EventSeries {
    struct Key: Hashable {
        var regarding: ObjectReference
        var type: String
        var reason: String
        var note: String
    }

    private struct Entry {
        var name: String
        var count: Int
        var first: ContinuousClock.Instant
    }

    let window: Duration
    private var entries: [Key: Entry] = [:]

    init(window: Duration) { self.window = window }

    /// For a repeat within the window: the existing event's name and the new count.
    mutating func repeated(_ key: Key, now: ContinuousClock.Instant) -> (name: String, count: Int)? {
        entries = entries.filter { now - $0.value.first < window }
        guard var entry = entries[key] else { return nil }
        entry.count += 1
        entries[key] = entry
        return (entry.name, entry.count)
    }

    mutating func created(_ key: Key, name: String, now: ContinuousClock.Instant) {
        entries[key] = Entry(name: name, count: 1, first: now)
    }
}

/// The `events.k8s.io/v1` Event body, shaped as kube-apiserver expects (fixtures/kube/events).
enum EventEncoding {
    static func event(_ pending: EventRecorder.Pending, name: String, namespace: String,
                      configuration: EventRecorder.Configuration) -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 512 + pending.note.utf8.count)
        json.raw(#"{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"#)
        json.field("name", name)
        json.raw(",")
        json.field("namespace", namespace)
        json.raw("},")
        // eventTime must be MicroTime: exactly six fractional digits, or the API answers 400.
        json.field("eventTime", pending.time.microTime)
        json.raw(",")
        json.field("reportingController", configuration.controller)
        json.raw(",")
        json.field("reportingInstance", configuration.instance)
        json.raw(",")
        json.field("action", pending.action)
        json.raw(",")
        json.field("reason", pending.reason)
        json.raw(#","regarding":"#)
        reference(pending.regarding, into: &json)
        if let related = pending.related {
            json.raw(#","related":"#)
            reference(related, into: &json)
        }
        json.raw(",")
        json.field("note", pending.note)
        json.raw(",")
        json.field("type", pending.type.rawValue)
        json.raw("}")
        return json.bytes
    }

    private static func reference(_ object: ObjectReference, into json: inout JSONWriter) {
        json.raw("{")
        json.field("kind", object.kind)
        json.raw(",")
        json.field("apiVersion", object.apiVersion)
        if !object.namespace.isEmpty {
            json.raw(",")
            json.field("namespace", object.namespace)
        }
        json.raw(",")
        json.field("name", object.name)
        if !object.uid.isEmpty {
            json.raw(",")
            json.field("uid", object.uid)
        }
        json.raw("}")
    }
}
