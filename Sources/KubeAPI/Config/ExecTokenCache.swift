import FoundationEssentials
import Synchronization
import TroxileiaCore

/// Caches an exec plugin's token until shortly before it expires, and runs the plugin once for
/// any number of concurrent callers (single flight).
final class ExecTokenCache: Sendable {
    private typealias Run = Task<Result<ExecCredentialPlugin.Credential, KubeAPIError>, Never>

    private struct State {
        var token: SecretText?
        /// When to run the plugin again; `nil` means never (the plugin gave no expiry).
        var refreshAt: Date?
        var running: Run?
    }

    /// What a caller does next: take the cached token, or wait for a run.
    private enum Step {
        case cached(SecretText)
        case wait(Run)
    }

    private let plugin: ExecCredentialPlugin
    private let expiryMargin: Duration
    private let state = Mutex(State())

    /// A cache over `plugin` that refreshes `expiryMargin` before expiry (capped at half the
    /// token's remaining life, so a short-lived token is still reused a little).
    init(plugin: ExecCredentialPlugin, expiryMargin: Duration) {
        self.plugin = plugin
        self.expiryMargin = expiryMargin
    }

    /// The cached token, or a fresh one from the plugin (awaiting a run already under way).
    ///
    /// A caller that is cancelled still waits for the shared run, which its timeout bounds;
    /// the run itself is not cancelled, since other callers may be waiting for it.
    func token() async throws(KubeAPIError) -> SecretText {
        let now = Date()
        let step = state.withLock { state -> Step in
            if let token = state.token, state.refreshAt.map({ now < $0 }) ?? true { return .cached(token) }
            if let running = state.running { return .wait(running) }
            let plugin = self.plugin
            let run = Run { () async -> Result<ExecCredentialPlugin.Credential, KubeAPIError> in
                do throws(KubeAPIError) {
                    return .success(try await plugin.run())
                } catch {
                    return .failure(error)
                }
            }
            state.running = run
            return .wait(run)
        }
        let run: Run
        switch step {
        case .cached(let token): return token
        case .wait(let shared): run = shared
        }
        let result = await run.value
        store(result, of: run)
        return try result.get().token
    }

    /// Forgets the token so the next call runs the plugin (the server answered 401).
    func invalidate() {
        state.withLock { state in
            state.token = nil
            state.refreshAt = nil
        }
    }

    /// Records the result of `run` once, whichever waiter gets here first.
    private func store(_ result: Result<ExecCredentialPlugin.Credential, KubeAPIError>, of run: Run) {
        let margin = expiryMargin
        let now = Date()
        state.withLock { state in
            guard state.running == run else { return }
            state.running = nil
            guard case .success(let credential) = result else { return }
            state.token = credential.token
            state.refreshAt = credential.expiration.map { expiration in
                let remaining = expiration.timeIntervalSince(now)
                let marginSeconds = Double(margin.components.seconds) + Double(margin.components.attoseconds) / 1e18
                return expiration.addingTimeInterval(-min(marginSeconds, max(remaining, 0) / 2))
            }
        }
    }
}
