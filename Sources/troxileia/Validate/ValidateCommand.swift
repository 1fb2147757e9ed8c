import ArgumentParser
import TroxileiaCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `troxileia validate FILE|-|--cluster`: the webhook's label rules, applied to a node file or to
/// the cluster's live nodes (read as metadata only, as `run` reads them).
///
/// With no file argument, standard input is read; when it is a terminal or empty, the cluster is
/// read instead, so `kubectl troxileia validate` alone audits the live labels (issue 16). An explicit
/// `-` always means standard input. Exit status: 0 no errors (warnings allowed unless `--strict`),
/// 1 findings that fail, 2 the input (or the cluster) could not be read (DESIGN.md "Process layout").
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check node labels offline with the webhook's rules.",
        discussion: """
            Reads a Node, a NodeList, a List or multi-document YAML, in JSON or YAML as \
            `kubectl get nodes -o json|yaml` prints it, and reports every malformed port or sensor \
            label, every port labelled on more than one node, and sensors without a usable port.
            With --cluster, or with no file and nothing on standard input, it reads the nodes from \
            the cluster (metadata only; --kubeconfig and --context choose it).
            Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 unreadable input.
            Every flag can also be set by its environment twin, e.g. TROXILEIA_PORT_LABEL for --port-label.
            """
    )

    @Argument(help: ArgumentHelp("The node file; - reads standard input; nothing reads standard input, or the cluster when it is a terminal or empty.",
                                 valueName: "file"))
    var file: String?

    @Flag(help: "Read the nodes from the cluster (metadata only), not from a file.")
    var cluster = false

    @Option(help: "Output format: text or json.")
    var output: ReportFormat = .text

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Option(help: "Largest input accepted, in bytes (default 512 MiB).")
    var maxInputBytes = InputFile.defaultLimit

    @OptionGroup var labels: LabelOptions

    @OptionGroup(title: "Cluster (with --cluster, or no file and nothing on standard input)")
    var connection: ConnectionOptions

    static let environmentTwins: [EnvironmentTwins.Twin] = [
        .init(flag: "output", kind: .option), .init(flag: "strict", kind: .flag),
        .init(flag: "max-input-bytes", kind: .option), .init(flag: "cluster", kind: .flag),
    ] + LabelOptions.environmentTwins + ConnectionOptions.environmentTwins

    /// The largest `--max-input-bytes` taken: 64 GiB, far beyond any node list.
    static let maximumInputLimit = 1 << 36

    func validate() throws {
        guard maxInputBytes > 0 else { throw ValidationError("--max-input-bytes must be positive") }
        // The reader asks for one byte past the limit to prove an input too large: keep that sum far from Int.max.
        guard maxInputBytes <= Self.maximumInputLimit else {
            throw ValidationError("--max-input-bytes must be at most \(Self.maximumInputLimit) (64 GiB)")
        }
        if cluster, let file { throw ValidationError("give a file (\(file)) or --cluster, not both") }
    }

    func run() throws {
        let document: NodeDocument
        do {
            document = try read()
        } catch let error as InputFile.ReadError {
            printToStandardError("troxileia validate: \(error)")
            throw ExitCode(2)
        } catch let error as ClusterNodes.ReadError {
            printToStandardError("troxileia validate: \(error)")
            throw ExitCode(2)
        } catch {
            let path = file ?? "-"
            printToStandardError("troxileia validate: cannot read \(path == "-" ? "standard input" : path): \(error)")
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

    /// The nodes from the file, standard input or the cluster (see the type's documentation).
    private func read() throws -> NodeDocument {
        if cluster || (file == nil && isatty(STDIN_FILENO) == 1) {
            return NodeDocument(nodes: try ClusterNodes.read(connection))
        }
        let input = try InputFile(file ?? "-", limit: maxInputBytes)
        let start = try input.readStart()
        if file == nil && start.isEmpty {
            return NodeDocument(nodes: try ClusterNodes.read(connection))
        }
        return try NodeFileDecoder.decode(input, start: start)
    }

    private static func finding(for item: NodeDocument.SkippedItem) -> LabelFinding {
        LabelFinding(node: item.name ?? "item \(item.index + 1)", label: nil, value: nil, severity: .warning,
                     kind: .skippedItem, problem: "item \(item.index + 1) was skipped: \(item.reason)",
                     hint: "only Nodes are checked")
    }
}
