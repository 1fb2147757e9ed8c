import ArgumentParser
import FoundationEssentials
import Glibc
import GigaVUE
import KubeAPI
import Logging
import Reconciler
import TroxileiaCore

/// `troxileia doctor`: pass/fail checks with a hint for each failure (issue 6 "Commands"): the cluster
/// and the permissions run needs (tried as server-side dry runs: nothing is written), label
/// consistency (validate's rules), the tap (reachable, verified host key, our aliases and the source
/// port group), and, given the webhook's URL, its certificate and answer.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the cluster, the permissions, the labels, the tap and the webhook; a hint for each failure.",
        discussion: "Takes run's cluster, reconciler and tap flags. Exit status: 0 when nothing failed, 1 otherwise.")

    @OptionGroup(title: "Cluster") var cluster: ConnectionOptions
    @OptionGroup(title: "Labels") var labels: LabelOptions
    @OptionGroup(title: "Reconciler") var reconciler: ReconcilerOptions
    @OptionGroup(title: "Tap") var tap: TapOptions

    @Option(help: "The webhook's URL as kube-apiserver calls it, e.g. https://troxileia.troxileia.svc:443/validate.")
    var webhookURL: String?

    @Option(help: "CA bundle (PEM) that signs the webhook's certificate (the caBundle of the webhook configuration).")
    var webhookCAFile: String?

    @Option(help: "Warn when the webhook's certificate expires within this long.")
    var certificateWarning = "720h"

    static var environmentTwins: [EnvironmentTwins.Twin] {
        ConnectionOptions.environmentTwins + LabelOptions.environmentTwins + ReconcilerOptions.environmentTwins
            + TapOptions.environmentTwins
            + ["webhook-url", "webhook-ca-file", "certificate-warning"]
            .map { EnvironmentTwins.Twin(flag: $0, kind: .option) }
    }

    func validate() throws {
        _ = try duration(certificateWarning, "--certificate-warning")
        if webhookURL != nil, webhookCAFile == nil { throw ValidationError("--webhook-url needs --webhook-ca-file") }
    }

    func run() async throws {
        // A peer that hangs up mid-handshake must fail a check, not kill the process (OpenSSL writes with write(2)).
        signal(SIGPIPE, SIG_IGN)
        let logger = Logger(label: "troxileia") { _ in SwiftLogNoOpLogHandler() }
        var checks: [DoctorCheck] = []
        func report(_ check: DoctorCheck) {
            checks.append(check)
            print(check.rendered)
        }
        let keys = labels.keys
        if let cluster = await ClusterChecks.connect(cluster, report: report) {
            await cluster.run(keys: keys, reconciler: reconciler, report: report)
        }
        await TapChecks.run(tap, logger: logger, report: report)
        if let webhookURL, let webhookCAFile {
            await WebhookChecks.run(url: webhookURL, caFile: webhookCAFile,
                                    warnWithin: DurationText.parse(certificateWarning) ?? .seconds(720 * 3600), report: report)
        } else {
            // Said rather than left out, so a clean run is not read as "the certificate was checked".
            report(.skip("webhook certificate", "not checked",
                         hint: "pass --webhook-url and --webhook-ca-file to check the serving certificate"))
        }
        let failed = checks.filter { $0.outcome == .fail }.count
        print(failed == 0 ? "\nall checks passed" : "\n\(failed) check(s) failed")
        if failed > 0 { throw ExitCode.failure }
    }
}
