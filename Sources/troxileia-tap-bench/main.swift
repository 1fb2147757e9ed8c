import Foundation
import GigaVUE
import GigaVUESimulatorHarness
import Logging
import TroxileiaCore

// `make bench-tap`: full applies of 40 ports against the GigaVUE simulator on loopback (issue 5,
// "Benchmark"). Each round alternates between two disjoint 40-port sets so every apply runs the whole
// plan (read, 9 commands, read-back). Reported: wall time per apply (median, p90, max) and our
// process's CPU time over the same applies, i.e. the share spent in our code; the rest is waiting for
// the device (the simulator runs in its own process and its CPU is not counted as ours).
// Then issue 15's dark times: adding and removing one port of 40, in place against rebuild (DarkTimeBench).

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
}

func ports(slot: Int) throws -> [TapPort] {
    try (1...40).map { number throws(TapPortSyntaxError) in
        try TapPort(cli: slot == 1 ? "1/1/x\(number)" : "1/2/x\(number)")
    }
}

let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20
var options = GigaVUESimulator.Options()
options.ports = "1/1/x1..x48,1/2/x1..x48"
let simulator = try await GigaVUESimulator(options)
// The full-apply figures are for the rebuild plan (two disjoint sets: in place would change as much).
var configuration = SSHTapDriver.Configuration(
    host: "127.0.0.1", sshPort: simulator.sshPort, passwordFile: simulator.passwordFile,
    hostKey: .knownHosts(path: simulator.knownHostsFile))
configuration.policy.updateStrategy = .rebuild
let driver = SSHTapDriver(configuration: configuration, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
let sets = [try ports(slot: 1), try ports(slot: 2)]
_ = try await driver.apply(sets[1])  // warm-up: first connection, first plan

var durations: [Double] = []
let cpuBefore = cpuSeconds()
let wallBefore = ContinuousClock.now
for round in 0..<rounds {
    let started = ContinuousClock.now
    let result = try await driver.apply(sets[round % 2])
    guard result.changedDevice, result.after == sets[round % 2] else {
        FileHandle.standardError.write(Data("apply \(round) did not change the device as planned: \(result.outcome)\n".utf8))
        exit(1)
    }
    let elapsed = started.duration(to: .now)
    durations.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}
let wall = wallBefore.duration(to: .now)
let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
let cpu = cpuSeconds() - cpuBefore
let sorted = durations.sorted()
func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
let commands = try await simulator.receivedLines().count
print(String(format: "40-port apply x %d: median %.1f ms, p90 %.1f ms, max %.1f ms", rounds,
             percentile(0.5) * 1000, percentile(0.9) * 1000, (sorted.last ?? 0) * 1000))
print(String(format: "our CPU %.3f s of %.3f s wall = %.1f%% in our code, %.1f%% waiting for the device",
             cpu, wallSeconds, cpu / wallSeconds * 100, 100 - cpu / wallSeconds * 100))
print("simulator received \(commands) lines in all")
try await DarkTimeBench.run(simulator: simulator, configuration: configuration, rounds: max(5, rounds / 2))
simulator.stop()
