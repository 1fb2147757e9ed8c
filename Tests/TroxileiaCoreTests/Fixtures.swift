import Foundation

/// Test fixtures under `Tests/TroxileiaCoreTests/Fixtures/`, found from this file's path.
enum Fixtures {
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appending(path: name)))
    }
}
