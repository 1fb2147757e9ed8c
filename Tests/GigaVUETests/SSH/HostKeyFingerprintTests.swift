@testable import GigaVUE
import Testing

@Suite struct HostKeyFingerprintTests {
    static let digest: [UInt8] = Array(0..<32)
    static let text = "SHA256:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

    @Test func printsLikeSSHKeygen() {
        #expect(HostKeyFingerprint(digest: Self.digest).description == Self.text)
    }

    @Test(arguments: [text, String(text.dropFirst(7)), text + "=", "  sha256:" + text.dropFirst(7) + "\n"])
    func readsWithOrWithoutPrefixAndPadding(input: String) throws {
        #expect(try HostKeyFingerprint(parsing: input).digest == Self.digest)
    }

    @Test(arguments: ["", "SHA256:", "MD5:aa:bb", "SHA256:AAEC", String(text.dropLast()) + "!",
                      text + "AAAA", "SHA1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"])
    func refusesWhatIsNotASHA256Fingerprint(input: String) {
        #expect(throws: TapError.self) { try HostKeyFingerprint(parsing: input) }
    }
}
