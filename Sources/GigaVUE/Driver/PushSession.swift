import TroxileiaCore

/// One push inside an open session (issue 15): read the configuration and the chassis ports, leave out
/// the ports the tap cannot take, choose the plan by `--tap-update-strategy`, run it (the in-place plan
/// verified by reading back, with the rebuild plan to finish on a refusal) and estimate the dark time.
struct PushSession {
    /// The open session.
    let session: TapSession
    /// The driver's decisions.
    let policy: TapPolicy
    /// The device's refusal of in-place edits, shared by the driver's pushes.
    let refusal: InPlaceRefusal
    /// When the push began (for the result's duration).
    let started: ContinuousClock.Instant

    /// Reads, screens, plans, runs and verifies one push to `desired`.
    /// - Throws: the session's errors; `.commandRejected` for a `%` the plan cannot get past;
    ///   `.verificationFailed` when the read-back differs after the last plan.
    func run(_ desired: [TapPort]) throws(TapError) -> TapPushResult {
        let before = try session.read(policy: policy, listPorts: true)
        let missing = before.portListing.map { listing in Set(desired).filter { !listing.contains($0) }.sorted() } ?? []
        let screened = policy.screen(desired, reading: before, deviceAnswers: try session.deviceAnswers(for: missing))
        guard let plan = try policy.plan(for: screened.usable, reading: before) else {
            return result(.unchanged, before: before, after: before, screened.rejected)
        }
        let chosen = policy.plans(for: plan, current: before.configuration, inPlaceRefused: refusal.deviceAnswer != nil)
        let changeStarted = ContinuousClock.now
        let firstStep = session.shell.steps.count
        // Once the first change is sent the plan runs to its end: stopping between the deletions and the
        // creations would leave the tap sending to no sensor. The push deadline still bounds it. The
        // read-back runs in the same deferral, so a plan that completed while the caller was cancelled is
        // reported as applied (what the tap went through), not as cancelled.
        let (after, refused) = try session.cancellation.deferringCancellation { () throws(TapError) -> (TapReading, String?) in
            try execute(chosen.first, fallback: chosen.fallback)
        }
        try policy.verify(plan, reading: after)
        // The plan that made the tap what it is: the fallback when the first was refused.
        let ran = refused == nil ? chosen.first : (chosen.fallback ?? plan)
        var pushed = result(.applied(ran), before: before, after: after, screened.rejected)
        pushed.inPlaceRefusal = refused
        pushed.darkTime = DarkTime.estimate(
            watched: Set(before.sensorPorts).intersection(after.sensorPorts), start: before.configuration,
            configuration: policy.plan, startedAt: changeStarted, steps: Array(session.shell.steps[firstStep...]))
        return pushed
    }

    /// Runs `first`; for an in-place plan with a `fallback`, a `%` answer or a read-back that differs
    /// runs the fallback next (remembered in `refusal`). Returns the read-back and the refusal text.
    private func execute(_ first: TapPlan, fallback: TapPlan?) throws(TapError) -> (TapReading, String?) {
        guard first.kind == .inPlace else {
            _ = try session.shell.run(first.commands)
            return (try session.read(policy: policy), nil)
        }
        let attempt = try session.shell.attempt(first.commands)
        let refused: String
        if let rejected = attempt.rejected {
            let text = rejected.response.deviceError ?? ""
            // A refused port type or save is not a refusal of the edit: the rebuild plan would fail on the
            // same line (it sets the types first, so the tap is left as it was).
            guard let fallback, rejected.command.effect != .none else {
                throw .commandRejected(command: rejected.command.text, deviceText: text)
            }
            refused = "'\(rejected.command.text)' answered: \(text)"
            if Self.isInMapSubMode(attempt.exchanges.map(\.command)) {
                _ = try session.shell.run([.leaveSubMode])
            }
            refusal.record(refused)
            _ = try session.shell.run(fallback.commands)
        } else {
            let reading = try session.read(policy: policy)
            guard let fallback, !reading.configuration.matches(first.ports, configuration: policy.plan) else {
                return (reading, nil)
            }
            refused = "read back after the in-place plan shows \(Self.list(reading.sensorPorts)), expected \(Self.list(first.ports))"
            refusal.record(refused)
            _ = try session.shell.run(fallback.commands)
        }
        return (try session.read(policy: policy), refused)
    }

    /// Whether the last command sent left the device inside the map's sub-mode (entered, not left).
    static func isInMapSubMode(_ sent: [TapCommand]) -> Bool {
        guard let last = sent.last, last.effect != .exit else { return false }
        let entered = sent.lastIndex { $0.effect == .enterMap }
        let left = sent.lastIndex { $0.effect == .exit }
        guard let entered else { return false }
        return left.map { $0 < entered } ?? true
    }

    private static func list(_ ports: [TapPort]) -> String { ports.isEmpty ? "no port" : PortList.cliText(ports) }

    private func result(_ outcome: TapPushResult.Outcome, before: TapReading, after: TapReading,
                        _ rejected: [TapPortRejection]) -> TapPushResult {
        let tolerated = session.shell.toleratedErrors
            .filter { !$0.command.text.hasPrefix("show ") }
            .map { "\($0.command.text): \($0.response.deviceError ?? "")" }
        var result = TapPushResult(outcome: outcome, before: before.sensorPorts, after: after.sensorPorts,
                                   toleratedErrors: tolerated, transcript: session.shell.transcript,
                                   duration: started.duration(to: .now))
        result.rejected = rejected
        result.chassisPorts = before.portListing?.ports
        return result
    }
}
