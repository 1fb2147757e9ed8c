import Testing
@testable import HTTPServerCore

@Suite struct HTTPHeadersTests {
    private var sample: HTTPHeaders {
        HTTPHeaders([(name: "Host", value: "a"), (name: "Accept", value: "x"), (name: "accept", value: "y")])
    }

    @Test func keepsFieldsInOrderWithTheirSpelling() {
        let names = sample.map(\.name)
        #expect(names == ["Host", "Accept", "accept"])
        #expect(sample.count == 3)
        #expect(!sample.isEmpty)
        #expect(HTTPHeaders().isEmpty)
    }

    @Test func subscriptReturnsTheFirstMatchIgnoringCase() {
        #expect(sample["ACCEPT"] == "x")
        #expect(sample["host"] == "a")
        #expect(sample["Content-Length"] == nil)
    }

    @Test func valuesForReturnsEveryMatchInOrder() {
        #expect(sample.values(for: "Accept") == ["x", "y"])
        #expect(sample.values(for: "missing") == [])
    }

    @Test func containsMatchesNamesIgnoringCase() {
        #expect(sample.contains("HOST"))
        #expect(!sample.contains("Hos"))
    }

    @Test func addAppendsAndKeepsDuplicates() {
        var headers = sample
        headers.add(name: "Host", value: "b")
        #expect(headers.values(for: "host") == ["a", "b"])
        #expect(headers.map(\.value).last == "b")
    }

    @Test func removeDropsEveryFieldOfThatName() {
        var headers = sample
        headers.remove(name: "ACCEPT")
        #expect(headers.map(\.name) == ["Host"])
        headers.remove(name: "absent")
        #expect(headers.count == 1)
    }

    @Test func equalityIsExactAndOrdered() {
        #expect(sample == sample)
        let reordered = HTTPHeaders([(name: "Accept", value: "x"), (name: "Host", value: "a"), (name: "accept", value: "y")])
        #expect(sample != reordered)
        let respelled = HTTPHeaders([(name: "host", value: "a"), (name: "Accept", value: "x"), (name: "accept", value: "y")])
        #expect(sample != respelled)
    }
}
