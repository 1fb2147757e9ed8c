internal import CLinuxShims
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A detached operating-system thread on pthreads, for the work that must not run on the Swift
/// concurrency pool (event loops, libcurl's multi loop, SSH sessions, child processes, blocking
/// TLS handshakes). It stands in for Foundation's `Thread`, which full Foundation alone has: the
/// production modules import only `FoundationEssentials`, so the binary loads no ICU (issue 14).
public enum NativeThread {
    /// Why a thread could not be started: `pthread_create`'s error number (EAGAIN: the process or
    /// system thread limit).
    public struct StartFailure: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "cannot start a thread: \(String(cString: strerror(code))) (errno \(code))" }
    }

    /// Starts `body` on a new detached thread named `name` (Linux keeps its first 15 bytes, shown
    /// in /proc/PID/task/*/comm and in debuggers). The thread ends when `body` returns.
    public static func detach(name: String, _ body: @escaping @Sendable () -> Void) throws(StartFailure) {
        let box = Unmanaged.passRetained(Job(name: name, body: body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let code = pthread_create(&thread, &attributes, { context in
            // Safe: `context` is the retained Job passed below, taken back exactly once here.
            guard let context else { return nil }
            let job = Unmanaged<Job>.fromOpaque(context).takeRetainedValue()
            _ = troxileia_set_thread_name(job.name)
            job.body()
            return nil
        }, box.toOpaque())
        if code != 0 {
            box.release()
            throw StartFailure(code: code)
        }
    }

    /// `detach`, for the long-lived threads started once at startup (event loops, the libcurl loop,
    /// the certificate watcher) whose starters have no error path: a failure is written to standard
    /// error (Foundation's Thread, used before, failed silently), and the missing thread then shows
    /// as a listener or client that never answers, which readiness reports.
    public static func detachOrReport(name: String, _ body: @escaping @Sendable () -> Void) {
        do throws(StartFailure) {
            try detach(name: name, body)
        } catch {
            let line = Array("troxileia: thread \(name): \(error)\n".utf8)
            _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// What the new thread runs, carried across `pthread_create`'s untyped argument.
    private final class Job: Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
