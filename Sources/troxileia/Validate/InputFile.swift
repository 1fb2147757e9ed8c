#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input file (or standard input) opened for reading, in chunks or whole, refusing anything over
/// a size cap. JSON is read whole (the skimmer wants one buffer); YAML is read chunk by chunk as the
/// parser asks, so it never sits in memory whole.
///
/// Not `Sendable`: one thread reads it. The descriptor is closed when the value goes (standard input stays open).
final class InputFile {
    /// The largest input accepted: well above a 5,000-node list with full status (68 MB as JSON,
    /// ~90 MB as YAML), well below what would strain a 2-core, 24 GiB machine.
    static let defaultLimit = 512 << 20

    /// Why an input could not be read.
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read \(path == "-" ? "standard input" : path): \(reason)" }
    }

    /// The file's path; `-` for standard input.
    let path: String
    /// Most bytes read; one more fails.
    let limit: Int
    /// Bytes read so far.
    private(set) var consumed = 0
    private let descriptor: Int32
    /// The size of a regular file (to read it in one buffer); `nil` for pipes and terminals.
    private let regularSize: Int?

    /// Opens `path` (standard input when `-`).
    /// - Throws: `ReadError` when it cannot be opened, is a directory, or is a regular file over `limit`.
    init(_ path: String, limit: Int = defaultLimit) throws(ReadError) {
        self.path = path
        self.limit = limit
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw ReadError(path: path, reason: Self.errnoText()) }
        }
        var info = stat()
        var size: Int?
        if fstat(descriptor, &info) == 0 {
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR || (type == S_IFREG && Int(info.st_size) > limit) {
                if descriptor != STDIN_FILENO { close(descriptor) }
                throw ReadError(path: path, reason: type == S_IFDIR ? "it is a directory"
                                : "it is \(info.st_size) bytes, more than the limit of \(limit)")
            }
            if type == S_IFREG { size = Int(info.st_size) }
        }
        regularSize = size
    }

    deinit {
        if descriptor != STDIN_FILENO { close(descriptor) }
    }

    /// Reads up to `buffer.count` bytes (one `read(2)`, retried on EINTR); 0 at the end of the input.
    /// - Throws: `ReadError` on a read failure, or once more than `limit` bytes have come.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReadError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        // One byte past the limit proves the input too large; never ask for more than that.
        let wanted = Swift.min(buffer.count, limit + 1 - consumed)
        while true {
            let count = Glibc.read(descriptor, base, wanted)
            if count >= 0 {
                consumed += count
                guard consumed <= limit else { throw ReadError(path: path, reason: "more than the limit of \(limit) bytes") }
                return count
            }
            if errno != EINTR { throw ReadError(path: path, reason: Self.errnoText()) }
        }
    }

    /// Reads until a byte other than blank space (space, tab, CR, LF) has come, or the input ends:
    /// what tells JSON from YAML, and empty input from any.
    func readStart(chunk: Int = 64 << 10) throws(ReadError) -> [UInt8] {
        var start: [UInt8] = []
        var scanned = 0
        while true {
            let count = try appendChunk(to: &start, chunk: chunk)
            if count == 0 { return start }
            if start[scanned...].contains(where: { !Self.isBlank($0) }) { return start }
            scanned = start.count
        }
    }

    /// `prefix` (what was read already) followed by the rest of the input.
    /// A regular file is read into one buffer of its size (plus one byte, to notice growth); a
    /// pipe's buffer doubles.
    func readAll(after prefix: [UInt8]) throws(ReadError) -> [UInt8] {
        var bytes = prefix
        bytes.reserveCapacity(Swift.min(regularSize.map { $0 + 1 } ?? Swift.max(1 << 20, prefix.count * 2), limit + 1))
        while true {
            let room = bytes.capacity - bytes.count
            let chunk = Swift.min(room > 0 ? room : Swift.max(bytes.count, 64 << 10), Swift.max(1, limit + 1 - consumed))
            if try appendChunk(to: &bytes, chunk: chunk) == 0 { return bytes }
        }
    }

    /// `true` for the bytes JSON and YAML both skip before a document: space, tab, LF, CR.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Reads up to `chunk` bytes onto the end of `bytes`; the count, 0 at the end.
    private func appendChunk(to bytes: inout [UInt8], chunk: Int) throws(ReadError) -> Int {
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: chunk))
        let result = bytes.withUnsafeMutableBytes { raw in
            Result { () throws(ReadError) -> Int in try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[old...])) }
        }
        let count = (try? result.get()) ?? 0
        bytes.removeLast(chunk - count)
        if case .failure(let failure) = result { throw failure }
        return count
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
