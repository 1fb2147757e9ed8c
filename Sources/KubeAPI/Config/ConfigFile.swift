#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small, bounded file access for configuration: kubeconfig files, service account files and
/// token files. Every read has a size cap, so a wrong path (a device, a huge log) cannot eat memory.
enum ConfigFile {
    /// Why a file could not be read; turned into a `KubeAPIError.configuration` by the caller,
    /// which knows the field that named the file.
    enum ReadFailure: Error, Equatable, CustomStringConvertible {
        /// The path does not exist (ENOENT or ENOTDIR).
        case missing
        /// It exists but could not be read: the system's reason.
        case unreadable(String)
        /// It holds more than the cap.
        case tooLarge(limit: Int)

        /// The reason as a sentence fragment for a `.configuration` problem.
        var description: String {
            switch self {
            case .missing: return "the file does not exist"
            case .unreadable(let reason): return "cannot read the file: \(reason)"
            case .tooLarge(let limit): return "the file is larger than \(ConfigFile.sizeText(limit)), the limit"
            }
        }
    }

    /// Identity of a file's current content as the kernel reports it: when any part changes,
    /// the file was rewritten or replaced (the kubelet swaps a symlink, so the inode changes).
    struct Stamp: Equatable {
        /// `st_dev`.
        var device: UInt64
        /// `st_ino`: changes when the kubelet swaps in a new file.
        var inode: UInt64
        /// `st_size`.
        var size: Int64
        /// `st_mtim` seconds.
        var modifiedSeconds: Int64
        /// `st_mtim` nanoseconds: two writes within one second still differ.
        var modifiedNanoseconds: Int64
    }

    /// The bytes of `path`, at most `limit` of them.
    static func read(_ path: String, limit: Int) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(failure(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(failure(errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(.unreadable("it is a directory")) }
        if (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) > limit { return .failure(.tooLarge(limit: limit)) }

        // A regular file is read into one buffer of its size plus one byte; anything else (a pipe
        // from `--kubeconfig <(…)`) into a buffer that doubles. One byte past the limit proves the
        // input too large, even when it grew while we read.
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        var buffer = [UInt8](repeating: 0, count: min(isRegular ? Int(info.st_size) + 1 : 1 << 16, limit + 1))
        var filled = 0
        while true {
            if filled == buffer.count {
                guard buffer.count <= limit else { break }
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit + 1 - buffer.count)))
            }
            let count = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return systemRead(descriptor, base + filled, raw.count - filled)
            }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(failure(errno))
            }
            filled += count
        }
        guard filled <= limit else { return .failure(.tooLarge(limit: limit)) }
        buffer.removeLast(buffer.count - filled)
        return .success(buffer)
    }

    /// The stamp of `path` (following symlinks), or why it could not be examined.
    static func stamp(_ path: String) -> Result<Stamp, ReadFailure> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(failure(errno)) }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return .success(Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                              modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec)))
    }

    /// `true` when `path` names something that exists (a file, or a symlink to one).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// `path` made absolute against `folder` when it is relative, as kubectl resolves kubeconfig
    /// paths against the folder of the file that names them.
    static func resolve(_ path: String, relativeTo folder: String) -> String {
        if path.hasPrefix("/") || path.isEmpty { return path }
        return folder.hasSuffix("/") ? folder + path : folder + "/" + path
    }

    /// The folder holding `path` (`.` for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `bytes` as a human size: `4 MiB`, `1 KiB`, `12 bytes`.
    static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// `text` without leading and trailing spaces, tabs and line breaks: token files and exec
    /// output usually end in a newline that is not part of the token.
    static func trimmed(_ text: some StringProtocol) -> String {
        // `Character.isWhitespace` also covers "\r\n", which is one Character.
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }

    private static func failure(_ code: Int32) -> ReadFailure {
        if code == ENOENT || code == ENOTDIR { return .missing }
        return .unreadable(String(cString: strerror(code)))
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(descriptor, buffer, count)
        #elseif canImport(Musl)
        return Musl.read(descriptor, buffer, count)
        #else
        return Darwin.read(descriptor, buffer, count)
        #endif
    }
}
