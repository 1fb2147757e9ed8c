/// Which objects a list or watch selects: namespace, `labelSelector`, `fieldSelector=metadata.name=…`.
struct WatchFilter: Sendable {
    var namespace: String?
    var selector: LabelSelector
    var name: String?

    func matches(namespace objectNamespace: String, name objectName: String, labels: [String: String]) -> Bool {
        if let namespace, namespace != objectNamespace { return false }
        if let name, name != objectName { return false }
        return selector.matches(labels)
    }

    func matches(_ object: StoredObject) -> Bool {
        matches(namespace: object.namespace, name: object.name, labels: object.labels)
    }

    /// The event a watcher with this filter sees for `entry`, or nil: a change that moves an
    /// object into the selection is ADDED, out of it DELETED (as kube-apiserver's watch cache does).
    func event(for entry: HistoryEntry) -> HistoryEntry.Change? {
        let now = matches(entry.object)
        guard let previous = entry.previousLabels else { return now ? entry.change : nil }
        let before = matches(namespace: entry.object.namespace, name: entry.object.name, labels: previous)
        switch (entry.change, before, now) {
        case (.deleted, true, _): return .deleted
        case (.deleted, false, _): return nil
        case (_, true, true): return .modified
        case (_, false, true): return .added
        case (_, true, false): return .deleted
        case (_, false, false): return nil
        }
    }
}
