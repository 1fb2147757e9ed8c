import Synchronization

/// One shared copy of the strings that repeat across many objects: label and annotation keys
/// (`kubernetes.io/hostname`, `topology.kubernetes.io/zone`, … on every node). A Swift string
/// longer than 15 UTF-8 bytes is a heap allocation of its own, so 5,000 nodes with a dozen such
/// keys each held some 60,000 copies of a few dozen texts (issue 14: about a quarter of the node
/// index). Interned strings share one buffer; values are not interned (host names, UIDs and the
/// like are unique and would only fill the table).
///
/// Bounded against hostile input: at most `capacity` strings of at most `maxLength` bytes are
/// kept; past that a string is returned as it is (correct, merely not shared).
public final class StringInterner: Sendable {
    /// The keys of labels and annotations, process-wide: Kubernetes keys are at most 253 bytes of
    /// prefix, `/` and 63 of name.
    public static let objectKeys = StringInterner(capacity: 4096, maxLength: 317)

    private let table = Mutex<Set<String>>([])
    private let capacity: Int
    private let maxLength: Int

    public init(capacity: Int, maxLength: Int) {
        self.capacity = capacity
        self.maxLength = maxLength
    }

    /// `text`, or an equal string already held (sharing its storage).
    public func intern(_ text: String) -> String {
        let length = text.utf8.count
        // 15 bytes or fewer are stored inside the String value itself: nothing to share.
        guard length > 15, length <= maxLength else { return text }
        return table.withLock { table in
            if let index = table.firstIndex(of: text) { return table[index] }
            if table.count < capacity { table.insert(text) }
            return text
        }
    }

    /// How many strings are held (for tests).
    public var count: Int { table.withLock { $0.count } }
}
