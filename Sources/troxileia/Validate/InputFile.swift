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
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, reason: errnoText())
            }
            guard bytes.count + count <= limit else {
                throw ReadError(path: path, reason: "more than the limit of \(limit) bytes")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
