import GigaVUE
import TroxileiaCore

/// What the reconciler does with the end of a push: the removal guard, Events, status, metrics, logs.
extension Reconciler {
    /// Records `result` and returns the scheduler's outcome.
    func record(_ result: PushAttempt.Result, reason: PushScheduler.Reason, ports: [TapPort],
                duration: Duration) -> PushScheduler.Outcome {
        let outcome: PushScheduler.Outcome
        let label: String
        var verifiedAt: Double?
        switch result {
        case .pushed(let push), .unchanged(let push):
            removalGuard.confirmed()
            metrics?.holdingRemoval(false)
            status.applied = push.after
            status.lastError = ""
            metrics?.applied(ports: push.after.count)
            verifiedAt = clock.wallNow.secondsSinceEpoch
            recordFindings(push)
            if case .pushed = result {
                label = "pushed"
                let change = Self.change(from: push.before, to: push.after)
                logger.notice("tap reconfigured", metadata: [
                    "tap.ports": "\(PortList.cliText(push.after))", "tap.change": "\(change)", "push.reason": "\(reason.rawValue)",
                    "push.duration": "\(duration)",
                ])
                reporter?.recordTap(warning: false, reason: "TapReconfigured",
                                    note: "the tap now sends to \(push.after.count) port(s) (\(change))")
            } else {
                label = "unchanged"
                logger.info("tap already matches", metadata: ["tap.ports": "\(push.after.count)", "push.reason": "\(reason.rawValue)"])
            }
            outcome = .succeeded
        case .planned(let push):
            // Nothing was sent or verified: the guard stays armed and no success is recorded.
            label = "planned"
            status.applied = push.after
            if case .planned(let plan) = push.outcome {
                logger.notice("dry run: push planned, tap not changed", metadata: ["tap.plan": "\(plan.lines.joined(separator: "; "))"])
            }
            outcome = .succeeded
        case .held(let removal, let tapPorts):
            label = "held"
            status.applied = tapPorts
            metrics?.applied(ports: tapPorts.count)
            metrics?.holdingRemoval(true)
            logger.warning("large removal held", metadata: ["reason": "\(removal.message)"])
            reporter?.recordTap(warning: true, reason: "LargeRemovalHeld", note: removal.message)
            // Not a failure to retry: the next change of the desired set re-checks.
            outcome = .succeeded
        case .failed(let message):
            label = "failed"
            status.lastError = message
            logger.error("failed to push to the tap", metadata: ["error": "\(message)", "push.reason": "\(reason.rawValue)"])
            reporter?.recordTap(warning: true, reason: "TapPushFailed", note: message)
            outcome = .failed
        case .abandoned:
            label = "abandoned"
            logger.notice("push abandoned", metadata: ["push.reason": "\(reason.rawValue)"])
            outcome = .failed
        }
        metrics?.pushFinished(reason: reason.rawValue, result: label, duration: duration, verifiedAt: verifiedAt)
        status.lastPushAt = clock.wallNow
        status.lastPushResult = label
        status.leader = leadership.holder ?? ""
        // A push that changed the tap is published even when leadership was lost during it: `applied`
        // must say what the tap went through (issue 13); the next leader's first push overwrites it.
        if isLeader || label == "pushed", let reporter {
            // The desired lists are materialized here, per status write, not per node event (issue 18).
            status.desired = isSynced ? state.ports : []
            status.excluded = isSynced ? state.exclusionLines : []
            publish(status, through: reporter)
        }
        return outcome
    }

    /// "+1/1/x3 -1/1/x1" style summary of a change of sets.
    static func change(from before: [TapPort], to after: [TapPort]) -> String {
        change(added: Set(after).subtracting(before).sorted(), removed: Set(before).subtracting(after).sorted())
    }

    /// The same summary from the ports added and removed, each sorted.
    static func change(added: [TapPort], removed: [TapPort]) -> String {
        var parts: [String] = []
        if !added.isEmpty { parts.append("added \(PortList.cliText(added))") }
        if !removed.isEmpty { parts.append("removed \(PortList.cliText(removed))") }
        return parts.isEmpty ? "no port change, configuration repaired" : parts.joined(separator: ", ")
    }
}
