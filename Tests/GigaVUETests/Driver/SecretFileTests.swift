import Foundation
@testable import GigaVUE
import Testing

@Suite struct SecretFileTests {
    static func file(_ contents: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("troxileia-secret-\(UUID().uuidString)").path
        try contents.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["s3cret", "s3cret\n", "s3cret\r\n"])
    func readsOneLineWithoutItsLineBreak(contents: String) throws {
        let path = try Self.file(Data(contents.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SecretFile.read(path, flag: "--tap-password-file").revealed == "s3cret")
    }

    @Test func readsTheNewValueAfterTheFileChanges() throws {
        let path = try Self.file(Data("old".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SecretFile.read(path, flag: "f").revealed == "old")
        try Data("new\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SecretFile.read(path, flag: "f").revealed == "new")
    }

    @Test(arguments: [Data(), Data("\n".utf8), Data("a\nb".utf8), Data([0xFF, 0xFE]),
                      Data(repeating: 0x61, count: SecretFile.sizeLimit + 1)])
    func refusesUnusableContentsWithoutShowingThem(contents: Data) throws {
        let path = try Self.file(contents)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SecretFile.read(path, flag: "--tap-password-file")
            Issue.record("an unusable secret file was read")
        } catch {
            #expect(error.description.contains("--tap-password-file \(path)"))
            #expect(!error.description.contains("aaaa") && !error.description.contains("a\nb"))
        }
    }

    @Test func namesAMissingFile() {
        #expect(throws: TapError.self) { try SecretFile.read("/nonexistent/troxileia/password", flag: "--tap-password-file") }
    }

    @Test func filesLibssh2ReadsMustBeReadableAndBounded() throws {
        let small = try Self.file(Data("key".utf8))
        let large = try Self.file(Data(repeating: 0x61, count: 2048))
        defer { [small, large].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        try SecretFile.checkReadable(small, flag: "--tap-key-file", limit: 1024)
        #expect(throws: TapError.invalidConfiguration("--tap-key-file \(large) is larger than 1024 bytes")) {
            try SecretFile.checkReadable(large, flag: "--tap-key-file", limit: 1024)
        }
        #expect(throws: TapError.invalidConfiguration("--tap-known-hosts /nonexistent/kh is not a readable file")) {
            try SecretFile.checkReadable("/nonexistent/kh", flag: "--tap-known-hosts", limit: 1024)
        }
        #expect(throws: TapError.self) { try SecretFile.checkReadable("/tmp", flag: "--tap-known-hosts", limit: 1024) }
    }
}
