import Logging
import Synchronization

/// Keeps every log line (message and metadata rendered as text) so tests can check what was logged,
/// and that no secret was.
public struct RecordingLogHandler: LogHandler {
    /// The lines logged so far, `LEVEL message key=value …`; shared by every copy of the handler.
    public final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        public init() {}
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        public var all: [String] { lines.withLock { $0 } }
    }

    let lines: Lines
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.append("\(event.level) \(event.message) \(rendered)")
    }

    /// A logger recording into `lines`.
    public static func logger(_ lines: Lines) -> Logger {
        Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
    }
}
