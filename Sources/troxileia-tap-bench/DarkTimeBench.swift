import Foundation
import GigaVUE
import GigaVUESimulatorHarness
import Logging
import TroxileiaCore

/// Issue 15's figures: adding and removing one port of 40, in place against rebuild. For each push,
/// the longest time a port that stayed in the set received no traffic, twice: as the simulator's
/// traffic timeline shows it (`GET /traffic`) and as the driver estimates it from its command timeline.
enum DarkTimeBench {
    /// Median and largest dark times, in milliseconds, of one strategy and change.
    struct Figures {
        /// Strategy and change.
        let label: String
        /// From the simulator's traffic timeline.
        let simulator: (median: Double, max: Double)
        /// The driver's own estimate.
        let driver: (median: Double, max: Double)
    }

    /// Runs `rounds` add-and-remove pairs per strategy against `simulator` and prints the figures.
    static func run(simulator: GigaVUESimulator, configuration: SSHTapDriver.Configuration, rounds: Int) async throws {
        let forty = try (1...40).map { number throws(TapPortSyntaxError) in try TapPort(cli: "1/1/x\(number)") }
        let extra = try TapPort(cli: "1/2/x1")
        var figures: [Figures] = []
        for strategy in [TapUpdateStrategy.auto, .rebuild] {
            var settings = configuration
            settings.policy.updateStrategy = strategy
            let driver = SSHTapDriver(configuration: settings, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
            _ = try await driver.apply(forty)
            var samples: [String: (simulator: [Double], driver: [Double])] = [:]
            for _ in 0..<rounds {
                for (change, target) in [("add", forty + [extra]), ("remove", forty)] {
                    let (seen, estimated) = try await push(target, retained: forty, driver: driver, simulator: simulator)
                    samples[change, default: ([], [])].simulator.append(seen)
                    samples[change, default: ([], [])].driver.append(estimated)
                }
            }
            let name = strategy == .auto ? "in-place" : "rebuild"
            for change in ["add", "remove"] {
                let sample = samples[change] ?? ([], [])
                figures.append(Figures(label: "\(name), \(change) one of 40",
                                       simulator: (median(sample.simulator) * 1000, (sample.simulator.max() ?? 0) * 1000),
                                       driver: (median(sample.driver) * 1000, (sample.driver.max() ?? 0) * 1000)))
            }
        }
        print("dark time of the 40 retained ports per push (longest over the retained ports), median / max of \(rounds):")
        for figure in figures {
            let label = figure.label.padding(toLength: 28, withPad: " ", startingAt: 0)
            print("  \(label)" + String(format: "simulator %6.1f / %6.1f ms   driver estimate %6.1f / %6.1f ms",
                                        figure.simulator.median, figure.simulator.max, figure.driver.median, figure.driver.max))
        }
    }

    /// One push; returns (simulator's, driver's) longest dark time of the retained ports, in seconds.
    private static func push(_ target: [TapPort], retained: [TapPort], driver: SSHTapDriver,
                             simulator: GigaVUESimulator) async throws -> (Double, Double) {
        let mark = Date().timeIntervalSince1970
        let result = try await driver.apply(target)
        guard result.changedDevice, result.after == target else {
            throw BenchError(description: "the push did not change the tap as planned: \(result.outcome)")
        }
        let traffic = try await simulator.traffic()
        var longest = 0.0
        for port in retained {
            let spans = traffic[port.cliName] ?? []
            var dark = 0.0
            for (previous, next) in zip(spans, spans.dropFirst()) {
                if let end = previous.end, end >= mark { dark += next.start - end }
            }
            longest = max(longest, dark)
        }
        let estimate = result.longestDarkTime ?? .zero
        return (longest, Double(estimate.components.seconds) + Double(estimate.components.attoseconds) / 1e18)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

/// A benchmark step that did not go as planned.
struct BenchError: Error, CustomStringConvertible {
    /// What happened.
    let description: String
}
