import Foundation
import Testing
@testable import troxileia

/// `kubectl-troxileia`: chosen by the program name, kubectl's `-n` read as `--namespace`, and the
/// binary answering under that name through a symlink (the real kubectl: Tests/EndToEnd/test_kubectl_plugin.py).
@Suite struct KubectlTroxileiaTests {
    @Test(arguments: [("kubectl-troxileia", true), ("/home/me/.krew/bin/kubectl-troxileia", true), ("./kubectl-troxileia", true),
                      ("troxileia", false), ("/usr/bin/troxileia", false), ("kubectl-troxileia-old", false), ("", false)])
    func recognisesThePluginName(program: String, isPlugin: Bool) {
        #expect(KubectlTroxileia.isInvoked(as: program) == isPlugin)
    }

    @Test(arguments: [
        (["status", "-n", "tap"], ["status", "--namespace=tap"]),
        (["status", "-ntap"], ["status", "--namespace=tap"]),
        (["status", "-n=tap"], ["status", "--namespace=tap"]),
        (["plan", "--context", "lab", "-n", "tap", "--kubeconfig", "k"], ["plan", "--context", "lab", "--namespace=tap", "--kubeconfig", "k"]),
        (["validate", "--", "-n", "x"], ["validate", "--", "-n", "x"]),
        (["status", "-n"], ["status", "-n"]),
        (["status", "--namespace", "tap"], ["status", "--namespace", "tap"]),
    ])
    func readsKubectlsShortNamespaceFlag(given: [String], expected: [String]) {
        #expect(KubectlTroxileia.arguments(given) == expected)
    }

    @Test func offersTheOperatorCommandsButNotRun() {
        let names = KubectlTroxileia.configuration.subcommands.map { $0.configuration.commandName }
        #expect(names == ["status", "plan", "validate", "doctor", "version"])
    }

    /// Through a symlink named kubectl-troxileia the binary is the plugin: its usage says so and `run` is unknown.
    @Test func answersAsThePluginThroughASymlink() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "kubectl-plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appending(path: "kubectl-troxileia")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: TroxileiaProcess.executable)
        let help = try TroxileiaProcess.run(["--help"], executable: link)
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("USAGE: kubectl troxileia <subcommand>"))
        let run = try TroxileiaProcess.run(["run"], executable: link)
        #expect(run.status == 64)
        #expect(run.standardError.contains("Unexpected argument 'run'"), "\(run.standardError)")
        let namespace = try TroxileiaProcess.run(["status", "-n", "Not_A_Namespace"], executable: link)
        #expect(namespace.status == 64)
        #expect(namespace.standardError.contains("--namespace \"Not_A_Namespace\" is not a namespace name"))
    }
}
