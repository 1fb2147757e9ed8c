/// Splits a byte stream into newline-terminated lines, whatever the chunk boundaries: a watch
/// body arrives in transport chunks that split JSON objects anywhere (kube-apiserver packs its
/// initial events into 2048-byte chunks).
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// A line longer than this is an error: a watch event is an object, and no object we watch
    /// comes near it (kube-apiserver's own limit for a request body is 3 MiB).
    public let maxLineBytes: Int

    public init(maxLineBytes: Int = 16 << 20) { self.maxLineBytes = maxLineBytes }

    /// Adds `bytes` and returns the complete lines they finish (without the newline; empty
    /// lines skipped).
    /// - Throws: `KubeAPIError.decoding` when an unterminated line grows past `maxLineBytes`.
    public mutating func append(_ bytes: [UInt8]) throws(KubeAPIError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            var line = pending
            line.append(contentsOf: bytes[start..<index])
            pending.removeAll(keepingCapacity: true)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if !line.isEmpty { lines.append(line) }
            start = index + 1
        }
        pending.append(contentsOf: bytes[start...])
        guard pending.count <= maxLineBytes else {
            pending = []
            throw .decoding(what: "watch stream", reason: "an event is larger than \(maxLineBytes) bytes")
        }
        return lines
    }

    /// Bytes of an unfinished line.
    public var bufferedByteCount: Int { pending.count }
}
