import ArgumentParser
import FoundationEssentials
import KubeAPI

/// `run`'s leader election on a Lease in the release namespace (DESIGN.md configuration table).
struct LeaderElectionOptions: ParsableArguments {
    @Option(help: "Only the Lease holder pushes to the tap (true/false); off for a single replica.")
    var leaderElect = true

    @Option(help: "Name of the Lease in the release namespace.")
    var leaseName = "troxileia"

    @Option(help: "How long a Lease stays valid without renewal.")
    var leaseDuration = "15s"

    @Option(help: "A leader that cannot renew within this long stops pushing.")
    var leaseRenewDeadline = "10s"

    @Option(help: "Time between Lease attempts.")
    var leaseRetryPeriod = "2s"

    static let environmentTwins: [EnvironmentTwins.Twin] = [
        "leader-elect", "lease-name", "lease-duration", "lease-renew-deadline", "lease-retry-period",
    ].map { EnvironmentTwins.Twin(flag: $0, kind: .option) }

    /// The leader-election timings and this replica's identity.
    func election() throws(ValidationError) -> LeaderElectionMachine.Configuration {
        var configuration = LeaderElectionMachine.Configuration(identity: Self.identity)
        configuration.leaseDuration = try duration(leaseDuration, "--lease-duration")
        configuration.renewDeadline = try duration(leaseRenewDeadline, "--lease-renew-deadline")
        configuration.retryPeriod = try duration(leaseRetryPeriod, "--lease-retry-period")
        do { try configuration.validate() } catch { throw ValidationError(error.description) }
        return configuration
    }

    func validate() throws {
        _ = try election()
        if leaseName.isEmpty || leaseName.utf8.count > 253
            || !leaseName.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) {
            throw ValidationError("--lease-name \"\(leaseName)\" is not a valid object name")
        }
    }

    /// The pod name (Downward API `POD_NAME`) or host name, plus a random suffix so two processes on
    /// one host never share an identity.
    static let identity: String = {
        let base = ProcessInfo.processInfo.environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName
        return "\(base)_\(UUID().uuidString.prefix(8).lowercased())"
    }()
}
