import Foundation
import KubeAPI

/// The namespace of the `Config/` suites, so `--filter KubeAPITests.Config` selects them all.
enum ConfigTests {}

/// A temporary folder holding one test's configuration files; removed when the value goes away.
final class ConfigScratch {
    /// The folder's absolute path.
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appending(path: "troxileia-config-\(UUID().uuidString)").path(percentEncoded: false)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `name` inside the folder.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to `name` (creating folders) and returns its absolute path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        try write(name, bytes: Array(text.utf8), executable: executable)
    }

    /// Writes `bytes` to `name` (creating folders) and returns its absolute path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8], executable: Bool = false) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(filePath: target))
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
        }
        return target
    }

    /// Replaces `name` atomically with `text` (write a sibling, rename over), as the kubelet
    /// rotates projected tokens.
    func replace(_ name: String, _ text: String) throws {
        let temporary = try write("\(name).new", text)
        guard rename(temporary, file(name)) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// The parts of a `.configuration` error, for assertions.
struct ConfigurationFailure {
    var file: String?
    var field: String?
    var problem: String
    var description: String
}

/// The `.configuration` error `body` throws, or `nil` when it succeeds or throws another case.
func configurationFailure<T>(_ body: () throws -> T) -> ConfigurationFailure? {
    do {
        _ = try body()
        return nil
    } catch let error as KubeAPIError {
        guard case .configuration(let file, let field, let problem) = error else { return nil }
        return ConfigurationFailure(file: file, field: field, problem: problem, description: error.description)
    } catch {
        return nil
    }
}

/// The async twin of ``configurationFailure(_:)``.
func configurationFailure<T>(_ body: () async throws -> T) async -> ConfigurationFailure? {
    do {
        _ = try await body()
        return nil
    } catch let error as KubeAPIError {
        guard case .configuration(let file, let field, let problem) = error else { return nil }
        return ConfigurationFailure(file: file, field: field, problem: problem, description: error.description)
    } catch {
        return nil
    }
}

/// Test PEM text: shaped like PEM, not a real certificate (the loader does not parse it).
enum TestPEM {
    static let certificate = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUTESTTESTTEST\n-----END CERTIFICATE-----\n"
    static let key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIKEYKEYKEYKEYKEY\n-----END EC PRIVATE KEY-----\n"

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}
