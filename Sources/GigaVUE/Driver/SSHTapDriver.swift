import Logging
import TroxileiaCore

/// The tap driver over SSH (libssh2): one session per call, on a thread of its own, under the push
/// deadline. `apply` reads the device, decides with `TapPolicy`, runs the plan and reads it back, all
/// in one session. Each session's transcript goes to the debug log and into the result.
public struct SSHTapDriver: TapDriver {
    /// Where and how to connect, and what to manage.
    public let configuration: Configuration
    private let logger: Logger

    /// A driver; nothing connects until the first call.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func currentSensorPorts() async throws(TapError) -> TapReading {
        try await session("read the tap's configuration") { (session) throws(TapError) -> TapReading in
            try session.read(policy: configuration.policy)
        }
    }

    public func apply(_ ports: [TapPort]) async throws(TapError) -> TapPushResult {
        let policy = configuration.policy
        let started = ContinuousClock.now
        return try await session("push to the tap") { (session) throws(TapError) -> TapPushResult in
            let before = try session.read(policy: policy)
            guard let plan = try policy.plan(for: ports, reading: before) else {
                return TapPushResult(outcome: .unchanged, before: before.sensorPorts, after: before.sensorPorts,
                                     transcript: session.shell.transcript, duration: started.duration(to: .now))
            }
            // Once the first deletion is sent the plan runs to its end: stopping between the deletions and
            // the creations would leave the tap sending to no sensor. The push deadline still bounds it.
            // The read-back runs in the same deferral, so a plan that completed while the caller was
            // cancelled is reported as applied (what the tap went through), not as cancelled.
            let after = try session.cancellation.deferringCancellation { () throws(TapError) -> TapReading in
                _ = try session.shell.run(plan.commands)
                return try session.read(policy: policy)
            }
            try policy.verify(plan, reading: after)
            let tolerated = session.shell.toleratedErrors.map { "\($0.command.text): \($0.response.deviceError ?? "")" }
            return TapPushResult(outcome: .applied(plan), before: before.sensorPorts, after: after.sensorPorts,
                                 toleratedErrors: tolerated, transcript: session.shell.transcript,
                                 duration: started.duration(to: .now))
        }
    }

    /// Opens a session, runs `body` in it and closes it, on a thread of its own; logs the transcript at
    /// debug level whichever way it ends.
    private func session<Result: Sendable>(
        _ purpose: String, _ body: @escaping @Sendable (TapSession) throws(TapError) -> Result
    ) async throws(TapError) -> Result {
        let configuration = configuration
        let logger = logger
        let pushDeadline = Deadline(purpose, budget: configuration.pushTimeout)
        return try await SessionThread.run(name: "troxileia-tap-ssh", deadline: pushDeadline) { (cancellation) throws(TapError) -> Result in
            let session = try TapSession(configuration, cancellation: cancellation, pushDeadline: pushDeadline, logger: logger)
            defer {
                logger.debug("tap session transcript", metadata: [
                    "tap.host": "\(configuration.host)", "tap.transcript": "\(session.shell.transcript)",
                ])
            }
            return try body(session)
        }
    }
}
