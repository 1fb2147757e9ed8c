#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole input file (or standard input) into memory, refusing anything over a size cap.
enum InputFile {
    /// The largest input accepted: well above a 5,000-node list with full status (68 MB as JSON,
    /// ~90 MB as YAML), well below what would strain a 2-core, 24 GiB machine.
    static let defaultLimit = 512 << 20

    /// Why an input could not be read.
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read \(path == "-" ? "standard input" : path): \(reason)" }
    }

    /// The bytes of `path`, or of standard input when `path` is `-`.
    static func read(_ path: String, limit: Int = defaultLimit) throws(ReadError) -> [UInt8] {
        let descriptor: Int32
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw ReadError(path: path, reason: errnoText()) }
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }

        var info = stat()
        if fstat(descriptor, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw ReadError(path: path, reason: "it is a directory") }
            if (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) > limit {
                throw ReadError(path: path, reason: "it is \(info.st_size) bytes, more than the limit of \(limit)")
            }
        }
        // A regular file is read into one buffer of its size (plus one byte, to notice growth);
        // a pipe's buffer doubles. One byte past the limit proves the input too large.
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        var buffer = [UInt8](repeating: 0, count: Swift.min(isRegular ? Int(info.st_size) + 1 : 1 << 20, limit + 1))
        var filled = 0
        while true {
            if filled == buffer.count {
                guard buffer.count <= limit else {
                    throw ReadError(path: path, reason: "more than the limit of \(limit) bytes")
                }
                buffer.append(contentsOf: repeatElement(0, count: Swift.min(buffer.count, limit + 1 - buffer.count)))
            }
            let count = try readSome(descriptor, into: &buffer, at: filled, path: path)
            if count == 0 { break }
            filled += count
        }
        guard filled <= limit else { throw ReadError(path: path, reason: "more than the limit of \(limit) bytes") }
        buffer.removeLast(buffer.count - filled)
        return buffer
    }

    /// One `read(2)` into `buffer[offset...]`, retried on EINTR; 0 at end of input.
    private static func readSome(_ descriptor: Int32, into buffer: inout [UInt8], at offset: Int,
                                 path: String) throws(ReadError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.read(descriptor, base + offset, raw.count - offset)
            }
            if count >= 0 { return count }
            if errno != EINTR { throw ReadError(path: path, reason: errnoText()) }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
