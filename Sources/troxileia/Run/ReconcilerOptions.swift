import ArgumentParser
import Reconciler
import TroxileiaCore

/// The reconciler's flags (DESIGN.md configuration table: `sensorPods.*` and `reconciler.*`).
struct ReconcilerOptions: ParsableArguments {
    @Option(help: "Watch sensor pods only in this namespace (default: all namespaces).")
    var sensorNamespace: String?

    @Option(help: "Label key that names a sensor pod's application.")
    var sensorAppLabelKey = "app"

    @Option(help: "Comma-separated values of that label selecting sensor pods, e.g. dbtraining,webtraining (empty: no pod watch).")
    var sensorApps = ""

    @Option(help: "A sensor pod not Ready this long takes its node's port out until it is Ready again.")
    var podNotReadyTimeout = "300s"

    @Option(help: "Quiet period after the last change before a push.")
    var debounce = "1s"

    @Option(help: "Longest wait from the first change of a burst to its push.")
    var debounceMax = "10s"

    @Option(help: "How often the tap is read and repaired if it drifted.")
    var resyncInterval = "5m"

    @Option(help: "The first push after a start may remove at most this fraction of the tap's ports (0–1).")
    var maxRemovalFraction = 0.5

    @Flag(help: "Let the first push after a start remove more than --max-removal-fraction.")
    var allowLargeRemoval = false

    static let environmentTwins: [EnvironmentTwins.Twin] = [
        "sensor-namespace", "sensor-app-label-key", "sensor-apps", "pod-not-ready-timeout", "debounce", "debounce-max",
        "resync-interval", "max-removal-fraction",
    ].map { EnvironmentTwins.Twin(flag: $0, kind: .option) } + [EnvironmentTwins.Twin(flag: "allow-large-removal", kind: .flag)]

    /// The sensor applications, each a valid label value.
    func apps() throws(ValidationError) -> [String] {
        let apps = sensorApps.split(separator: ",").map { $0.trimmingBlanks() }.filter { !$0.isEmpty }
        for app in apps where !Self.isLabelValue(app) {
            throw ValidationError("--sensor-apps: \"\(app)\" is not a label value (letters, digits, -, _, ., at most 63)")
        }
        return apps
    }

    /// The server-side selector for sensor pods, `nil` without `--sensor-apps`.
    func podSelector() throws(ValidationError) -> String? {
        let apps = try apps()
        guard !apps.isEmpty else { return nil }
        return "\(sensorAppLabelKey) in (\(apps.joined(separator: ",")))"
    }

    /// The reconciler's configuration.
    func configuration() throws(ValidationError) -> Reconciler.Configuration {
        var configuration = Reconciler.Configuration()
        configuration.podNotReadyTimeout = try duration(podNotReadyTimeout, "--pod-not-ready-timeout")
        configuration.scheduling.debounce = try duration(debounce, "--debounce")
        configuration.scheduling.debounceMax = try duration(debounceMax, "--debounce-max")
        configuration.scheduling.resyncInterval = try duration(resyncInterval, "--resync-interval")
        guard configuration.scheduling.debounceMax >= configuration.scheduling.debounce else {
            throw ValidationError("--debounce-max must not be shorter than --debounce")
        }
        guard configuration.scheduling.resyncInterval >= .seconds(1) else { throw ValidationError("--resync-interval must be at least 1s") }
        guard (0...1).contains(maxRemovalFraction) else { throw ValidationError("--max-removal-fraction must be between 0 and 1") }
        configuration.removal = RemovalGuard.Configuration(maxRemovalFraction: maxRemovalFraction, allowLargeRemoval: allowLargeRemoval)
        return configuration
    }

    func validate() throws {
        if let problem = LabelKeys.problem(with: sensorAppLabelKey) {
            throw ValidationError("--sensor-app-label-key \"\(sensorAppLabelKey)\": \(problem)")
        }
        _ = try podSelector()
        _ = try configuration()
    }

    private static func isLabelValue(_ text: String) -> Bool {
        let isAlphanumeric = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber) }
        guard text.utf8.count <= 63, let first = text.first, let last = text.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last) && text.allSatisfy { isAlphanumeric($0) || "-_.".contains($0) }
    }
}
