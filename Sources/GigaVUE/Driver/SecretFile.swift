import Foundation
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
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: sizeLimit + 1) ?? Data()
        } catch {
            throw .invalidConfiguration("\(flag) \(path) cannot be read: \((error as NSError).localizedDescription)")
        }
        guard data.count <= sizeLimit else {
            throw .invalidConfiguration("\(flag) \(path) is larger than \(sizeLimit) bytes")
        }
        guard var text = String(data: data, encoding: .utf8) else {
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
        guard FileManager.default.isReadableFile(atPath: path),
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else {
            throw .invalidConfiguration("\(flag) \(path) is not a readable file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limit else { throw .invalidConfiguration("\(flag) \(path) is larger than \(limit) bytes") }
    }
}
