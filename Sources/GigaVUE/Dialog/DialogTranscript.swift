/// What was said in one CLI session: each command, the device's answer and the timing, for debug logs
/// and the push result (issue 5, "a transcript of each session … never a secret").
///
/// The enable password is recorded as `<redacted>`: the dialog only ever hands this type the
/// `SecretText`'s description, never its value.
public struct DialogTranscript: Hashable, Sendable, CustomStringConvertible {
    /// One exchange.
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        /// The line sent; `nil` for the login (banner up to the first prompt).
        public let command: String?
        /// The cleaned answer, echo and prompt removed; for an unfinished entry, what had arrived.
        public let response: String
        /// When the command was sent, counted from the start of the dialog.
        public let startedAfter: Duration
        /// From sending to the prompt (or to the failure).
        public let duration: Duration
        /// Whether a prompt ended the exchange; `false` for the step the dialog failed in.
        public let finished: Bool

        /// An exchange as recorded.
        public init(command: String?, response: String, startedAfter: Duration, duration: Duration, finished: Bool) {
            self.command = command
            self.response = response
            self.startedAfter = startedAfter
            self.duration = duration
            self.finished = finished
        }

        /// `> command (duration)` followed by the answer.
        public var description: String {
            let head = "> \(command ?? "(login)") (\(duration)\(finished ? "" : ", unfinished"))"
            return response.isEmpty ? head : head + "\n" + response
        }
    }

    /// The exchanges in order.
    public private(set) var entries: [Entry] = []

    /// An empty transcript.
    public init() {}

    /// Appends one exchange.
    public mutating func record(_ entry: Entry) {
        entries.append(entry)
    }

    /// Every entry, one after the other.
    public var description: String { entries.map(\.description).joined(separator: "\n") }
}
