#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials

extension ExecCredentialPlugin {
    /// How much of the plugin's stderr an error message shows: enough for a CLI's error line
    /// and a hint, short enough for one log record.
    static let errorExcerptLength = 1024

    /// Runs the plugin once and returns the token it printed.
    ///
    /// The plugin's environment is this process's, then the kubeconfig's `env` entries, then
    /// `KUBERNETES_EXEC_INFO` (always set, with `spec.interactive: false`, and with `spec.cluster`
    /// when `provideClusterInfo` is true, as client-go sends it).
    /// - Throws: `.configuration` naming the kubeconfig file and exec field when the command
    ///   cannot start (with the `installHint`), runs past ``timeout``, prints more than
    ///   ``maximumOutput``, fails, or prints something other than an ExecCredential with a token.
    ///   The message includes the end of the plugin's stderr, never its stdout.
    public func run() async throws(KubeAPIError) -> Credential {
        let request = ChildProcess.Request(executable: configuration.command, arguments: configuration.arguments,
                                           environment: try environment(), timeout: timeout,
                                           maximumOutput: maximumOutput)
        let outcome: ChildProcess.Outcome
        switch await ChildProcess.run(request) {
        case .success(let result):
            outcome = result
        case .failure(let failure):
            let reason = failure.code == ENOENT ? "not found" : String(cString: strerror(failure.code))
            let hint = configuration.installHint.map { "; \(ConfigFile.trimmed($0))" } ?? ""
            throw self.failure("cannot start the command (\(failure.operation): \(reason))\(hint)")
        }
        let errorText = Self.excerpt(outcome.errorOutput, truncated: outcome.errorOutputTruncated)
        switch outcome.ending {
        case .timedOut:
            throw failure("did not finish within \(Self.seconds(timeout)) and was killed\(errorText)")
        case .outputTooLarge:
            throw failure("wrote more than \(ConfigFile.sizeText(maximumOutput)) to stdout and was killed\(errorText)")
        case .signalled(let signal):
            throw failure("was ended by signal \(signal)\(errorText)")
        case .exited(let status) where status != 0:
            throw failure("exited with status \(status)\(errorText)")
        case .exited:
            return try credential(from: outcome.output, errorText: errorText)
        }
    }

    /// The plugin's complete environment.
    private func environment() throws(KubeAPIError) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for variable in configuration.environment { environment[variable.name] = variable.value }
        environment["KUBERNETES_EXEC_INFO"] = try execInfo()
        return environment
    }

    /// `; stderr: …` with the last ``errorExcerptLength`` bytes of `bytes` on one line, or the
    /// empty string when the plugin wrote nothing there.
    static func excerpt(_ bytes: [UInt8], truncated: Bool) -> String {
        var tail = bytes
        var cut = truncated
        if tail.count > errorExcerptLength {
            tail.removeFirst(tail.count - errorExcerptLength)
            cut = true
        }
        let lines = String(decoding: tail, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { ConfigFile.trimmed($0) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { return "" }
        return "; stderr: \(cut ? "…" : "")\(lines.joined(separator: " | "))"
    }

    /// `30s`, `0.5s`: a duration as a person writes it.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(Double(seconds) + Double(attoseconds) / 1e18)s"
    }
}
