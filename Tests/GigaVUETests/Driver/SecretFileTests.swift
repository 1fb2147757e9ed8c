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
}
