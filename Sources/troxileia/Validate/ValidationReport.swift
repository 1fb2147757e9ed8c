import ArgumentParser
import FoundationEssentials
import Glibc
import TroxileiaCore

/// How `validate` prints its findings.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The findings of one `validate` run and how they print.
struct ValidationReport {
    let findings: [LabelFinding]
    let nodeCount: Int

    var errorCount: Int { findings.count { $0.severity == .error } }
    var warningCount: Int { findings.count { $0.severity == .warning } }

    /// Whether the run fails: any error, or any warning under `strict`.
    func fails(strict: Bool) -> Bool { errorCount > 0 || (strict && warningCount > 0) }

    func rendered(as format: ReportFormat) -> String {
        switch format {
        case .text: text
        case .json: json
        }
    }

    /// One block per finding, then a summary line.
    private var text: String {
        var lines: [String] = []
        for finding in findings {
            lines.append("\(Self.column(finding.severity.rawValue, width: 8))"
                + "node \(finding.node): \(finding.problem)")
            lines.append("        hint: \(finding.hint)")
        }
        let nodes = nodeCount == 1 ? "1 node" : "\(nodeCount) nodes"
        lines.append("\(nodes) checked: \(plural(errorCount, "error")), \(plural(warningCount, "warning"))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"findings":[{"node","label","value","severity","kind","problem","hint","related"}]}`.
    private var json: String {
        struct Entry: Encodable {
            let node: String
            let label: String?
            let value: String?
            let severity: String
            let kind: String
            let problem: String
            let hint: String
            let related: [String]

            // Absent label and value print as null, so every entry has the same keys.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(node, forKey: .node)
                try container.encode(label, forKey: .label)
                try container.encode(value, forKey: .value)
                try container.encode(severity, forKey: .severity)
                try container.encode(kind, forKey: .kind)
                try container.encode(problem, forKey: .problem)
                try container.encode(hint, forKey: .hint)
                try container.encode(related, forKey: .related)
            }

            enum CodingKeys: String, CodingKey {
                case node, label, value, severity, kind, problem, hint, related
            }
        }
        struct Document: Encodable { let findings: [Entry] }
        let document = Document(findings: findings.map {
            Entry(node: $0.node, label: $0.label, value: $0.value, severity: $0.severity.rawValue,
                  kind: $0.kind.rawValue, problem: $0.problem, hint: $0.hint, related: $0.related)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and arrays of strings cannot fail; an empty document is the safe fallback.
        let data = (try? encoder.encode(document)) ?? Data(#"{"findings":[]}"#.utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `text` in a column of `width` characters: cut or padded with spaces on the right.
    private static func column(_ text: String, width: Int) -> String {
        let cut = text.prefix(width)
        return cut + String(repeating: " ", count: width - cut.count)
    }

    private func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}

/// Writes a line to standard error (diagnostics never mix with a report on standard output).
func printToStandardError(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return write(STDERR_FILENO, base + written, raw.count - written)
        }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return }     // standard error closed: nowhere left to say it
        written += count
    }
}
