import ArgumentParser
import TroxileiaCore

/// `troxileia validate FILE|-`: the webhook's label rules, applied offline to a node file.
///
/// Exit status: 0 no errors (warnings allowed unless `--strict`), 1 findings that fail, 2 the
/// input could not be read (DESIGN.md "Process layout").
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check node labels offline with the webhook's rules.",
        discussion: """
            Reads a Node, a NodeList, a List or multi-document YAML, in JSON or YAML as \
            `kubectl get nodes -o json|yaml` prints it, and reports every malformed port or sensor \
            label, every port labelled on more than one node, and sensors without a usable port.
            Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 unreadable input.
            Every flag can also be set by its environment twin, e.g. TROXILEIA_PORT_LABEL for --port-label.
            """
    )

    @Argument(help: ArgumentHelp("The node file; - or nothing reads standard input.", valueName: "file"))
    var file: String = "-"

    @Option(help: "Output format: text or json.")
    var output: ReportFormat = .text

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Option(help: "Largest input accepted, in bytes (default 512 MiB).")
    var maxInputBytes = InputFile.defaultLimit

    @OptionGroup var labels: LabelOptions

    static let environmentTwins: [EnvironmentTwins.Twin] = [
        .init(flag: "output", kind: .option), .init(flag: "strict", kind: .flag),
        .init(flag: "max-input-bytes", kind: .option),
    ] + LabelOptions.environmentTwins

    func validate() throws {
        guard maxInputBytes > 0 else { throw ValidationError("--max-input-bytes must be positive") }
    }

    func run() throws {
        let document: NodeDocument
        do {
            document = try NodeFileDecoder.decode(try InputFile.read(file, limit: maxInputBytes))
        } catch let error as InputFile.ReadError {
            printToStandardError("troxileia validate: \(error)")
            throw ExitCode(2)
        } catch {
            printToStandardError("troxileia validate: cannot read \(file == "-" ? "standard input" : file): \(error)")
            throw ExitCode(2)
        }
        let keys = labels.keys
        let report = ValidationReport(
            findings: LabelAudit.findings(for: document.nodes, keys: keys) + document.skipped.map(Self.finding),
            nodeCount: document.nodes.count
        )
        print(report.rendered(as: output), terminator: "")
        if report.fails(strict: strict) { throw ExitCode(1) }
    }

    private static func finding(for item: NodeDocument.SkippedItem) -> LabelFinding {
        LabelFinding(node: item.name ?? "item \(item.index + 1)", label: nil, value: nil, severity: .warning,
                     kind: .skippedItem, problem: "item \(item.index + 1) was skipped: \(item.reason)",
                     hint: "only Nodes are checked")
    }
}
