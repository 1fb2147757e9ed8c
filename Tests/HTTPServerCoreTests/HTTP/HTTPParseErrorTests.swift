import Testing
@testable import HTTPServerCore

@Suite struct HTTPParseErrorTests {
    static let all: [HTTPParseError] = [
        .malformedRequestLine, .bareLineEnding, .tooManyEmptyLines, .http2Preface,
        .unsupportedVersion(HTTPVersion(major: 9, minor: 9)), .obsoleteLineFolding, .whitespaceBeforeColon,
        .invalidFieldName, .missingColon, .invalidFieldValue(name: "X-Test"), .nonUTF8FieldValue(name: "X-Test"),
        .headerSectionTooLarge(limit: 16_384), .missingHost, .multipleHosts, .transferEncodingNotSupported,
        .invalidContentLength, .conflictingContentLengths, .bodyTooLarge(limit: 7_340_032),
    ]

    /// Each reason is one short sentence a person can act on, with a status a client understands.
    @Test(arguments: all)
    func reasonIsOneShortSentence(error: HTTPParseError) {
        #expect([400, 411, 413, 431, 505].contains(error.status))
        #expect(error.reason.hasSuffix("."))
        #expect(error.reason.utf8.count <= 160)
        #expect(!error.reason.dropLast().contains(". "))
        #expect(!error.reason.contains("\r") && !error.reason.contains("\n"))
    }

    @Test func echoesAtMost64BytesOfInput() {
        let name = String(repeating: "N", count: 500)
        let reason = HTTPParseError.invalidFieldValue(name: name).reason
        #expect(reason.contains(String(repeating: "N", count: 64) + "…"))
        #expect(!reason.contains(String(repeating: "N", count: 65)))
    }

    @Test func namesTheFieldAndLimits() {
        #expect(HTTPParseError.invalidFieldValue(name: "X-Test").reason.contains("'X-Test'"))
        #expect(HTTPParseError.headerSectionTooLarge(limit: 16_384).reason.contains("16384"))
        #expect(HTTPParseError.bodyTooLarge(limit: 7_340_032).reason.contains("7340032"))
        #expect(HTTPParseError.unsupportedVersion(HTTPVersion(major: 3, minor: 0)).reason.contains("HTTP/3.0"))
    }
}
