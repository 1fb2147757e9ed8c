import Logging
import Synchronization
import TroxileiaCore

/// `--dry-run`: plans like the SSH driver and logs the plan, but never changes the tap.
///
/// With a `reader` (tap flags given) the actual state is read from the device with the read-only
/// `show running-config`; without one, the driver remembers the last set it "applied", so a reconciler
/// on top of it converges instead of planning the same change forever.
public final class DryRunTapDriver: TapDriver {
    private let reader: (any TapDriver)?
    private let policy: TapPolicy
    private let logger: Logger
    /// The last planned set, standing in for the device when there is no reader.
    private let remembered = Mutex<[TapPort]>([])

    /// A dry-run driver reading from `reader` (only its `currentSensorPorts()` is ever called).
    public init(reader: (any TapDriver)?, policy: TapPolicy, logger: Logger) {
        self.reader = reader
        self.policy = policy
        self.logger = logger
    }

    public func currentSensorPorts() async throws(TapError) -> TapReading {
        if let reader { return try await reader.currentSensorPorts() }
        let ports = remembered.withLock { $0 }
        return TapReading(configuration: ManagedConfiguration.expected(for: ports, configuration: policy.plan),
                          sourceGroupPorts: nil)
    }

    public func apply(_ ports: [TapPort]) async throws(TapError) -> TapPushResult {
        let reading = try await currentSensorPorts()
        let screened = policy.screen(ports, reading: reading)
        guard let rebuild = try policy.plan(for: screened.usable, reading: reading) else {
            var result = TapPushResult(outcome: .unchanged, before: reading.sensorPorts, after: reading.sensorPorts,
                                       transcript: reading.transcript)
            result.rejected = screened.rejected
            return result
        }
        // The plan a real push would run first (in place where the strategy and the device allow it).
        let plan = policy.plans(for: rebuild, current: reading.configuration, inPlaceRefused: false).first
        logger.notice("dry run: tap not changed", metadata: [
            "tap.ports": "\(PortList.cliText(plan.ports))", "tap.plan": "\(plan.lines.joined(separator: "; "))",
        ])
        if reader == nil { remembered.withLock { $0 = plan.ports } }
        var result = TapPushResult(outcome: .planned(plan), before: reading.sensorPorts, after: reading.sensorPorts,
                                   transcript: reading.transcript)
        result.rejected = screened.rejected
        return result
    }
}
