import FoundationEssentials
import Glibc
import Synchronization

/// The serving certificate, reloaded when its files change.
///
/// Kubernetes updates a mounted Secret by swapping a symlink (`..data`), so a change shows as a
/// new inode of the resolved file; `stat` (which follows links) sees it. A new pair that fails
/// to load (half-written, mismatched key) keeps the old context serving and is not retried until
/// the files change again. New handshakes take the new context; open connections keep theirs.
public final class CertificateStore: Sendable {
    /// The outcome of one reload check.
    public enum ReloadOutcome: Sendable {
        case unchanged
        case reloaded(expiresAt: Int64)
        case failed(TLSError)
    }

    /// PEM certificate chain file.
    public let certificateFile: String
    /// PEM private key file.
    public let keyFile: String

    private struct State {
        var context: TLSContext
        /// Identity of the two files at the last load attempt (successful or not).
        var lastSeen: [FileIdentity?]
    }

    private let state: Mutex<State>

    /// PEM CAs that client certificates must chain to; `nil` asks for no client certificate.
    public let clientCAFile: String?

    /// Loads the pair; with `clientCAFile`, clients must present a certificate signed by it.
    /// - Throws: `TLSError` when the first load fails: without a certificate there is nothing to serve.
    public init(certificateFile: String, keyFile: String, clientCAFile: String? = nil) throws(TLSError) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        let seen = [FileIdentity(path: certificateFile), FileIdentity(path: keyFile)]
        let context = try TLSContext(certificateFile: certificateFile, keyFile: keyFile, clientCAFile: clientCAFile)
        state = Mutex(State(context: context, lastSeen: seen))
    }

    /// The context new connections use.
    var current: TLSContext { state.withLock { $0.context } }

    /// The serving certificate's notAfter, seconds since the epoch.
    public var expiresAt: Int64 { current.expiresAt }

    /// Reloads the pair if either file changed since the last attempt. Blocking file I/O: call
    /// it from a thread of its own (`CertificateWatcher`), never from async code.
    public func reloadIfChanged() -> ReloadOutcome {
        let seen = [FileIdentity(path: certificateFile), FileIdentity(path: keyFile)]
        let changed = state.withLock { $0.lastSeen != seen }
        guard changed else { return .unchanged }
        do {
            let context = try TLSContext(certificateFile: certificateFile, keyFile: keyFile, clientCAFile: clientCAFile)
            state.withLock {
                $0.context = context
                $0.lastSeen = seen
            }
            return .reloaded(expiresAt: context.expiresAt)
        } catch {
            state.withLock { $0.lastSeen = seen }
            return .failed(error)
        }
    }
}

/// What identifies a file's content cheaply: device, inode, size and modification time.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    /// `nil` when the file cannot be stat'ed (missing during a swap).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
    }
}
