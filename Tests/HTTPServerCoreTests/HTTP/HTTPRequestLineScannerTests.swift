import Testing
@testable import HTTPServerCore

@Suite struct HTTPRequestLineScannerTests {
    /// Feeds `line`, returning the first step that is not `.pending` and the scanner.
    private func scan(_ line: String) -> (HTTPRequestLineScanner.Step, HTTPRequestLineScanner) {
        var scanner = HTTPRequestLineScanner()
        for (offset, byte) in line.utf8.enumerated() {
            let step = scanner.scan(byte, at: offset)
            if step != .pending { return (step, scanner) }
        }
        return (.pending, scanner)
    }

    @Test func recordsWhereMethodTargetAndVersionAre() {
        let (step, scanner) = scan("POST /validate?timeout=5s HTTP/1.1\r\n")
        #expect(step == .complete)
        #expect(scanner.methodEnd == 4)
        #expect(scanner.targetStart == 5)
        #expect(scanner.targetEnd == 25)
        #expect(scanner.versionStart == 26)
    }

    @Test func reportsAnEmptyLineBeforeTheRequestLine() {
        #expect(scan("\r\n").0 == .emptyLine)
        #expect(scan("\r\r").0 == .failure(.bareLineEnding))
    }

    @Test(arguments: [
        "\u{16}\u{03}\u{01}", " GET", "GET  /", "GET /a b", "GET /\u{7F}", "GET / HTTP/1.1 ", "GET / http/1.1",
        "GET / HTTP/11", "GET / HTTP/1.10", "GET /\r", "G(T / HTTP/1.1", "GET /é HTTP/1.1",
    ])
    func failsAtTheFirstByteThatCannotContinue(line: String) {
        guard case .failure(let error) = scan(line).0 else {
            Issue.record("accepted \(line.debugDescription)")
            return
        }
        #expect(error.status == 400)
    }

    @Test(arguments: ["GET / HTTP/1.1\n", "GET / HTTP/1.1\r\r", "\n"])
    func refusesLinesNotEndingInCRLF(line: String) {
        #expect(scan(line).0 == .failure(.bareLineEnding))
    }

    @Test func waitsOnAValidPrefix() {
        #expect(scan("OPTIONS * HTTP/1.").0 == .pending)
        #expect(scan("").0 == .pending)
    }
}
