import ArgumentParser
import Dispatch
import FoundationEssentials
import Glibc

/// The `troxileia` command: subcommands per DESIGN.md "Process layout".
///
/// `main` parses synchronously and runs synchronous commands (`validate`, which reads files
/// with blocking calls) on the main thread, never on the Swift concurrency pool; async commands
/// (`run`) get a task of their own.
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
        subcommands: [RunCommand.self, PlanCommand.self, StatusCommand.self, DoctorCommand.self, ValidateCommand.self, VersionCommand.self]
    )

    /// The environment twins of each subcommand's flags.
    static let environmentTwins = EnvironmentTwins(twinsBySubcommand: [
        "run": RunCommand.environmentTwins,
        "status": StatusCommand.environmentTwins,
        "plan": PlanCommand.environmentTwins,
        "doctor": DoctorCommand.environmentTwins,
        "validate": ValidateCommand.environmentTwins,
    ])

    /// Parses the command line completed by the environment twins, then runs the command. Started
    /// as `kubectl-troxileia` (kubectl's plugin name), the root is `KubectlTroxileia`.
    static func main() {
        let program = CommandLine.arguments.first ?? "troxileia"
        let given = Array(CommandLine.arguments.dropFirst())
        if KubectlTroxileia.isInvoked(as: program) {
            run(KubectlTroxileia.self, KubectlTroxileia.arguments(given))
        } else {
            run(Troxileia.self, given)
        }
    }

    /// Parses `given` with `Root` and runs the chosen command: synchronous ones on the main thread,
    /// async ones in a task of their own. Never returns.
    private static func run<Root: ParsableCommand>(_ root: Root.Type, _ given: [String]) -> Never {
        let arguments: [String]
        do {
            arguments = try environmentTwins.arguments(given, environment: ProcessInfo.processInfo.environment)
        } catch {
            root.exit(withError: ValidationError(error.description))
        }
        var command: any ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            root.exit(withError: error)
        }
        guard let asyncCommand = command as? any AsyncParsableCommand else {
            do {
                try command.run()
                root.exit()
            } catch {
                root.exit(withError: error)
            }
        }
        let box = UncheckedBox(asyncCommand)
        Task {
            var command = box.value
            do {
                try await command.run()
                root.exit()
            } catch {
                root.exit(withError: error)
            }
        }
        dispatchMain()
    }
}

/// Carries the parsed command into its task: it is created on the main thread and used only by
/// that task afterwards.
private struct UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
