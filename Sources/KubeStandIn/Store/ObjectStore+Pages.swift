extension ObjectStore {
    /// One list page: up to `limit` (0: no limit) objects of `kind` in `namespace` (nil: all) that
    /// `filter` selects, in key order from `start`; and how many more match after them (counted to
    /// the end only with `countRest`, else 1 says "at least one").
    ///
    /// Keys are kept sorted per kind between writes that add or delete one, so a page costs its own
    /// length, not a sort of the whole kind: a 50,000-node list in pages of 500 used to sort 50,000
    /// keys a hundred times, which made the stand-in, not the client, what a list benchmark measured.
    func page(_ kind: ResourceKind, namespace: String?, filter: WatchFilter, from start: String, limit: Int,
              countRest: Bool) -> (items: [StoredObject], rest: Int) {
        state.withLock { state in
            let keys: [String]
            if let cached = state.shelves[kind]?.sortedKeys {
                keys = cached
            } else {
                keys = state.shelves[kind]?.objects.keys.sorted() ?? []
                state.shelves[kind]?.sortedKeys = keys
            }
            let objects = state.shelves[kind]?.objects ?? [:]
            var items: [StoredObject] = []
            var rest = 0
            for key in keys[Self.lowerBound(of: start, in: keys)...] {
                guard let object = objects[key], namespace == nil || object.namespace == namespace, filter.matches(object) else { continue }
                if limit == 0 || items.count < limit {
                    items.append(object)
                } else {
                    rest += 1
                    if !countRest { break }
                }
            }
            return (items, rest)
        }
    }

    /// The index of the first key not below `start`.
    private static func lowerBound(of start: String, in keys: [String]) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < start { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
