import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct VersionCommandTests {
    @Test func printsTheVersionAndTheCommit() throws {
        let outcome = try TroxileiaProcess.run(["version"])
        #expect(outcome.status == 0)
        let line = outcome.standardOutput
        #expect(line.hasPrefix("troxileia 0.1.0 (commit "))
        // Built from this git checkout, so the commit is known: 12 hex digits, maybe "-dirty".
        let commit = line.split(separator: "commit ").last.map { $0.dropLast(2) } ?? ""
        #expect(commit.prefix(12).allSatisfy(\.isHexDigit) && commit.count >= 12, "\(line)")
    }
}
