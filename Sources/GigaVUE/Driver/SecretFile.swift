import Glibc
import TroxileiaCore

/// Reads a secret from a file (DESIGN.md: secrets are files only, re-read when they change). The
/// driver reads its files at every connection, so a rotated Secret applies to the next push without
/// a restart. The contents never appear in an error.
enum SecretFile {
    /// Far above any password, passphrase or private key; a bigger file is a mistake.
    static let sizeLimit = 64 * 1024
    /// known_hosts files list many hosts; 1 MiB is thousands of lines.
    static let knownHostsLimit = 1024 * 1024

    /// The file's text without one trailing line break.
    /// - Throws: `.invalidConfiguration` naming the flag and the path (never the contents).
    static func read(_ path: String, flag: String) throws(TapError) -> SecretText {
        let data: [UInt8]
        switch readPrefix(path, count: sizeLimit + 1) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            throw .invalidConfiguration("\(flag) \(path) cannot be read: \(String(cString: strerror(failure.code)))")
        }
        guard data.count <= sizeLimit else {
            throw .invalidConfiguration("\(flag) \(path) is larger than \(sizeLimit) bytes")
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            throw .invalidConfiguration("\(flag) \(path) is not UTF-8 text")
        }
        if text.last?.isNewline == true { text.removeLast() }  // "\r\n" is one Character in Swift
        guard !text.isEmpty else { throw .invalidConfiguration("\(flag) \(path) is empty") }
        guard !text.contains(where: \.isNewline) else {
            throw .invalidConfiguration("\(flag) \(path) holds more than one line")
        }
        return SecretText(text)
    }

    /// Checks a file libssh2 will read itself (a private key, known_hosts): readable and at most
    /// `limit` bytes, so a wrong path is one clear error and no file of any size reaches the library.
    /// - Throws: `.invalidConfiguration` naming the flag and the path.
    static func checkReadable(_ path: String, flag: String, limit: Int) throws(TapError) {
        var info = stat()
        guard access(path, R_OK) == 0, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .invalidConfiguration("\(flag) \(path) is not a readable file")
        }
        guard Int(info.st_size) <= limit else { throw .invalidConfiguration("\(flag) \(path) is larger than \(limit) bytes") }
    }

    /// At most the first `count` bytes of `path`, or the errno that stopped the read.
    private static func readPrefix(_ path: String, count: Int) -> Result<[UInt8], ReadError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadError(code: errno)) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.read(descriptor, base + filled, count - filled)
            }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(code: errno))
            }
            filled += got
        }
        buffer.removeLast(count - filled)
        return .success(buffer)
    }

    /// A failed open or read: its errno.
    private struct ReadError: Error {
        let code: Int32
    }
}
