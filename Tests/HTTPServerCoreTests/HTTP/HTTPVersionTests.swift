import Testing
@testable import HTTPServerCore

@Suite struct HTTPVersionTests {
    @Test func namedVersionsHaveTheirDigits() {
        #expect(HTTPVersion.http1_0 == HTTPVersion(major: 1, minor: 0))
        #expect(HTTPVersion.http1_1 == HTTPVersion(major: 1, minor: 1))
        #expect(HTTPVersion.http1_0 != HTTPVersion.http1_1)
    }

    @Test(arguments: [(HTTPVersion.http1_0, "HTTP/1.0"), (.http1_1, "HTTP/1.1"), (HTTPVersion(major: 2, minor: 0), "HTTP/2.0")])
    func describesItselfAsOnTheWire(version: HTTPVersion, text: String) {
        #expect(version.description == text)
    }

    @Test func hashesByDigits() {
        let set: Set<HTTPVersion> = [.http1_1, HTTPVersion(major: 1, minor: 1), .http1_0]
        #expect(set.count == 2)
    }
}
