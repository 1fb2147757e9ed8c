import ArgumentParser

/// `kubectl troxileia …`: the same binary installed as `kubectl-troxileia` on the PATH (a symlink,
/// or krew's), which kubectl runs for `kubectl troxileia ARGS` with ARGS unchanged (issue 16).
///
/// It offers the commands an operator runs from a laptop (`status`, `plan`, `validate`, `doctor`,
/// `version`); `run` is the in-cluster server and is not one of them. kubectl's `--kubeconfig`,
/// `--context` and `--namespace` are the commands' own flags; kubectl's short `-n` is read as
/// `--namespace` (`arguments(_:)`).
struct KubectlTroxileia: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl troxileia",
        abstract: "Troxileia as a kubectl plugin: status, plan, validate and doctor against the current kubeconfig context.",
        discussion: """
            Takes kubectl's --kubeconfig, --context and -n/--namespace (the release namespace: Lease, status \
            ConfigMap). `kubectl troxileia validate` with no file and nothing on standard input audits the \
            cluster's live node labels (as --cluster does).
            """,
        version: VersionCommand.versionLine,
        subcommands: [StatusCommand.self, PlanCommand.self, ValidateCommand.self, DoctorCommand.self, VersionCommand.self]
    )

    /// The file name kubectl looks for on the PATH for `kubectl troxileia`.
    static let executableName = "kubectl-troxileia"

    /// Whether the process was started under the plugin's name (`argv[0]`, with or without a path).
    static func isInvoked(as programPath: String) -> Bool {
        programPath.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) == executableName
    }

    /// `arguments` with kubectl's spellings of the namespace flag (`-n NS`, `-nNS`, `-n=NS`) turned
    /// into `--namespace=NS`; everything after `--` is left alone. A trailing `-n` without a value
    /// stays as it is, so the parser reports it.
    static func arguments(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if argument == "-n", index + 1 < arguments.endIndex {
                result.append("--namespace=\(arguments[index + 1])")
                index += 2
                continue
            }
            if argument.hasPrefix("-n"), argument.count > 2 {
                let value = argument.dropFirst(2)
                result.append("--namespace=\(value.hasPrefix("=") ? value.dropFirst() : value)")
            } else {
                result.append(argument)
            }
            index += 1
        }
        return result
    }
}
