import Foundation

/// Bytes captured from a real kube-apiserver v1.36 (../shared/fixtures/kube, copied here).
enum KubeFixtures {
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appending(path: path)))
    }
}
