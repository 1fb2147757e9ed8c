import ArgumentParser
import Foundation

/// The `troxileia` command: subcommands per DESIGN.md "Process layout".
///
/// Synchronous on purpose: `validate` reads files with blocking calls, which must run on the
/// main thread rather than on the Swift concurrency pool.
@main
struct Troxileia: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "troxileia",
        abstract: "Keeps a GigaVUE GigaStream equal to the tap ports of healthy Kubernetes sensor nodes.",
        discussion: """
            Nodes carry two labels: sensor ("true"/"false"; absent means false) and port (BOX_SLOT_PORT, \
            e.g. 1_1_x1 for tap port 1/1/x1).
            """,
        version: VersionCommand.versionLine,
        subcommands: [ValidateCommand.self, VersionCommand.self]
    )

    /// The environment twins of each subcommand's flags.
    static let environmentTwins = EnvironmentTwins(twinsBySubcommand: [
        "validate": ValidateCommand.environmentTwins,
    ])

    /// Parses the command line completed by the environment twins, then runs the command.
    static func main() {
        let arguments: [String]
        do {
            arguments = try environmentTwins.arguments(Array(CommandLine.arguments.dropFirst()),
                                                       environment: ProcessInfo.processInfo.environment)
        } catch {
            exit(withError: ValidationError(error.description))
        }
        main(arguments)
    }
}
