import ArgumentParser
import TroxileiaCore

/// The contract's label keys (DESIGN.md "Labels"), shared by `run`, `plan` and `doctor`.
struct LabelOptions: ParsableArguments {
    @Option(help: "Label key of the sensor flag.")
    var sensorLabel = LabelKeys.default.sensor

    @Option(help: "Label key of the tap port.")
    var portLabel = LabelKeys.default.port

    static let environmentTwins: [EnvironmentTwins.Twin] = ["sensor-label", "port-label"]
        .map { EnvironmentTwins.Twin(flag: $0, kind: .option) }

    /// The keys.
    var keys: LabelKeys { LabelKeys(sensor: sensorLabel, port: portLabel) }

    func validate() throws {
        do { try keys.validate() } catch { throw ValidationError(error.description) }
    }
}
