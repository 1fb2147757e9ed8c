import Logging
import TroxileiaCore

/// The tap driver over SSH (libssh2): one session per call, on a thread of its own, under the push
/// deadline. `apply` reads the device and its ports, decides with `TapPolicy`, runs the plan and reads
/// it back, all in one session (`PushSession`). Each session's transcript goes to the debug log and into the result.
public struct SSHTapDriver: TapDriver {
    /// Where and how to connect, and what to manage.
    public let configuration: Configuration
    /// The device's refusal of an in-place edit, kept until the process ends (issue 15).
    public let inPlaceRefusal = InPlaceRefusal()
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
        let refusal = inPlaceRefusal
        let started = ContinuousClock.now
        return try await session("push to the tap") { (session) throws(TapError) -> TapPushResult in
            try PushSession(session: session, policy: policy, refusal: refusal, started: started).run(ports)
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
