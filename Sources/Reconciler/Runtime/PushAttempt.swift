import GigaVUE
import TroxileiaCore

/// One push, run off the reconciler's actor: check leadership, read the tap while the removal guard
/// is armed, re-check leadership immediately before changing anything, apply. Reports what happened
/// instead of throwing, so the loop always learns the end of a push.
struct PushAttempt: Sendable {
    /// How an attempt ended.
    enum Result: Sendable {
        /// The plan ran and the device was read back equal.
        case pushed(TapPushResult)
        /// The device already matched: nothing was changed.
        case unchanged(TapPushResult)
        /// Dry run: the plan was logged, nothing was sent, nothing verified.
        case planned(TapPushResult)
        /// The first push would remove too much; it waits for `--allow-large-removal`.
        case held(RemovalGuard.LargeRemoval, tapPorts: [TapPort])
        /// The push failed with the driver's message.
        case failed(String)
        /// Leadership was lost or the push was cancelled: nothing more was sent.
        case abandoned
    }

    /// What the attempt was for, from the scheduler.
    let reason: PushScheduler.Reason
    /// The desired set when the attempt started (the latest, DESIGN.md "Data flow").
    let ports: [TapPort]
    let driver: any TapDriver
    let leadership: any Leadership
    /// The guard as it stood when the attempt started.
    let removalGuard: RemovalGuard

    /// Runs the attempt; never throws.
    func run() async -> Result {
        guard leadership.isLeader else { return .abandoned }
        do throws(TapError) {
            if removalGuard.isArmed {
                let reading = try await driver.currentSensorPorts()
                if case .hold(let removal) = removalGuard.check(current: reading.sensorPorts, desired: ports) {
                    return .held(removal, tapPorts: reading.sensorPorts)
                }
            }
            // A replica that lost the Lease since the attempt started must not touch the tap.
            guard leadership.isLeader, !Task.isCancelled else { return .abandoned }
            let result = try await driver.apply(ports)
            switch result.outcome {
            case .applied: return .pushed(result)
            case .unchanged: return .unchanged(result)
            case .planned: return .planned(result)
            }
        } catch .cancelled {
            return .abandoned
        } catch {
            return .failed(error.description)
        }
    }
}
