internal import COpenSSL

/// A TLS setup or connection failure, with OpenSSL's own explanation taken at the failure.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// What we were doing: "load certificate", "handshake".
    public let operation: String
    /// OpenSSL's error queue (or our own reason), joined.
    public let reason: String

    public var description: String { "failed to \(operation): \(reason)" }

    /// Drains this thread's OpenSSL error queue into an error for `operation`.
    /// The queue is per thread, so this must run on the thread of the failing call.
    static func drainingQueue(_ operation: String, fallback: String = "unknown OpenSSL error") -> TLSError {
        TLSError(operation: operation, reason: drainErrorQueue() ?? fallback)
    }

    /// Every queued OpenSSL error as text, oldest first; `nil` when the queue is empty.
    static func drainErrorQueue() -> String? {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? nil : messages.joined(separator: "; ")
    }
}
