import FoundationEssentials
import Glibc
import Logging
import TroxileiaCore

/// One JSON object per line on standard error: `time`, `level`, `logger`, `msg`, then the
/// metadata keys (dotted names as they are, e.g. `node.name`). What log collectors in a cluster
/// parse without configuration.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var line: [UInt8] = Array(#"{"time":"#.utf8)
        Self.append(Self.timestamp(), to: &line)
        line.append(contentsOf: #","level":"#.utf8)
        Self.append(event.level.rawValue, to: &line)
        line.append(contentsOf: #","logger":"#.utf8)
        Self.append(label, to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        Self.append(event.message.description, to: &line)
        for key in fields.keys.sorted() where !["time", "level", "logger", "msg"].contains(key) {
            line.append(UInt8(ascii: ","))
            Self.append(key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.append(fields[key].map { "\($0)" } ?? "", to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        line.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// `now` (the wall clock by default) as RFC 3339 in UTC with milliseconds.
    static func timestamp(_ now: timespec = wallClock()) -> String {
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        // e.g. 2026-03-01T12:04:05.123Z, built by hand: String(format:) needs full Foundation (ICU).
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-" + padded(Int(parts.tm_mday), 2)
            + "T" + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
            + "." + padded(Int(now.tv_nsec) / 1_000_000, 3) + "Z"
    }

    /// CLOCK_REALTIME now.
    static func wallClock() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now
    }

    /// `value` in decimal, zero-padded on the left to `width` digits (as `%0Nd` does).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A JSON string (`JSONWriter` escapes quotes, backslashes and control characters), so a
    /// message can never break the one-event-per-line format.
    private static func append(_ text: String, to line: inout [UInt8]) { JSONWriter.appendString(text, to: &line) }
}

/// `--log-format` and `--log-level`, applied once at startup.
enum LogSetup {
    enum Format: String, CaseIterable {
        case json, text
    }

    /// JSON when standard error is not a terminal (in a cluster), text on a terminal.
    static var defaultFormat: Format { isatty(STDERR_FILENO) == 1 ? .text : .json }

    static func bootstrap(format: Format, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
