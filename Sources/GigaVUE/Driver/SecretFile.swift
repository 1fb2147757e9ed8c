import Foundation
import TroxileiaCore

/// Reads a secret from a file (DESIGN.md: secrets are files only, re-read when they change). The
/// driver reads its files at every connection, so a rotated Secret applies to the next push without
/// a restart. The contents never appear in an error.
enum SecretFile {
    /// Far above any password or passphrase; a bigger file is a mistake (a key given as password).
    static let sizeLimit = 64 * 1024

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
}
