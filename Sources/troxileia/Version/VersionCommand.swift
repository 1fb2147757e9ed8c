import ArgumentParser
import TroxileiaCore

/// `troxileia version`: the release and the git commit the binary was built from.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version and the git commit this binary was built from."
    )

    /// `troxileia 0.1.0 (commit 0123456789ab)`.
    static var versionLine: String { "troxileia \(TroxileiaVersion.current) (commit \(BuildInfo.gitCommit))" }

    func run() {
        print(Self.versionLine)
    }
}
