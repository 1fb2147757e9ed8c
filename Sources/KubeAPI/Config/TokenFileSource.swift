import Synchronization
import TroxileiaCore

/// A bearer token kept in a file and re-read when the file changes.
///
/// Service account tokens are bound tokens: the kubelet rewrites the file (an atomic symlink
/// swap) well before each token expires, hourly by default. The file's stamp (device, inode,
/// size, mtime) is checked at most once per `checkInterval`, and the file is read again only
/// when the stamp moved, so the per-request cost is a clock read and, once a second, a `stat`.
///
/// Once a token has been read, a failed re-read (a rotation caught mid-way) keeps serving the
/// last good token and tries again at the next check, as client-go does; after ``invalidate()``
/// (the server answered 401) the next call must read the file, and a failure is thrown.
final class TokenFileSource: Sendable {
    /// The most a token file may hold: a JWT is 1–2 KiB, so this bounds a wrong path, not a token.
    static let maximumSize = 64 << 10

    private struct State {
        var token: SecretText?
        var stamp: ConfigFile.Stamp?
        var lastCheck: ContinuousClock.Instant?
        var mustReread = false
    }

    /// The token file's path.
    let path: String
    private let checkInterval: Duration
    private let state = Mutex(State())

    /// A source for `path`, checking for changes at most once per `checkInterval`.
    init(path: String, checkInterval: Duration) {
        self.path = path
        self.checkInterval = checkInterval
    }

    /// The current token.
    /// - Throws: `.configuration` naming the file when it cannot be read or is empty and no
    ///   earlier token may stand in (first read, or after ``invalidate()``).
    ///
    /// Reads a small local file under a lock: microseconds on the tmpfs the kubelet uses,
    /// so it runs on the caller's thread rather than a thread of its own.
    func token() throws(KubeAPIError) -> SecretText {
        let now = ContinuousClock.now
        return try state.withLock { state throws(KubeAPIError) -> SecretText in
            if let token = state.token, !state.mustReread {
                if let last = state.lastCheck, now - last < checkInterval { return token }
                state.lastCheck = now
                if case .success(let stamp) = ConfigFile.stamp(path), stamp == state.stamp { return token }
            }
            state.lastCheck = now
            // Stamp first, then read: a change between the two leaves an older stamp with newer
            // content, so the next check reads again; the other order could miss a rotation.
            let stamp = try? ConfigFile.stamp(path).get()
            do throws(KubeAPIError) {
                let token = try Self.readToken(path, field: "token")
                state.token = token
                state.stamp = stamp
                state.mustReread = false
                return token
            } catch {
                if let token = state.token, !state.mustReread { return token }
                throw error
            }
        }
    }

    /// Makes the next ``token()`` read the file, and fail if it cannot.
    func invalidate() {
        state.withLock { $0.mustReread = true }
    }

    /// Reads and trims the token in `path`.
    /// - Throws: `.configuration(file: path, field: field, …)` when the file is missing,
    ///   unreadable, too large, or holds only whitespace. The content never appears in it.
    static func readToken(_ path: String, field: String) throws(KubeAPIError) -> SecretText {
        switch ConfigFile.read(path, limit: maximumSize) {
        case .success(let bytes):
            let token = ConfigFile.trimmed(String(decoding: bytes, as: UTF8.self))
            guard !token.isEmpty else {
                throw KubeAPIError.configuration(file: path, field: field, problem: "the token file is empty")
            }
            return SecretText(token)
        case .failure(let failure):
            throw KubeAPIError.configuration(file: path, field: field, problem: failure.description)
        }
    }
}
