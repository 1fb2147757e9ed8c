#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import NativeThread

/// Runs one short-lived child process unattended, with bounded time and output, and reports
/// how it ended. Used for exec credential plugins.
///
/// Everything blocking (`poll`, `read`, `waitpid`) happens on a thread started for the run, so
/// the Swift concurrency pool is never held; the caller awaits a continuation. The child gets
/// `/dev/null` as stdin (it is never a terminal), default signal handling, and a process group
/// of its own, so a timeout or an output overflow kills the plugin and anything it started.
enum ChildProcess {
    /// What to run and the bounds.
    struct Request: Sendable {
        /// A program name (looked up in `PATH`) or a path.
        var executable: String
        /// Its arguments (the program name is prepended as `argv[0]`).
        var arguments: [String]
        /// The child's complete environment.
        var environment: [String: String]
        /// Time from start until the process group is killed.
        var timeout: Duration
        /// Most bytes accepted on stdout; one more kills the process group.
        var maximumOutput: Int
        /// Most bytes of stderr kept (the last ones: errors tend to come last).
        var maximumErrorOutput = 64 << 10
    }

    /// How the child ended.
    enum Ending: Equatable, Sendable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signalled(Int32)
        /// It ran past the timeout and was killed.
        case timedOut
        /// It wrote more than the stdout bound and was killed.
        case outputTooLarge
    }

    /// The result of a run that started.
    struct Outcome: Sendable {
        /// How the child ended.
        var ending: Ending
        /// Stdout, complete unless the ending says otherwise.
        var output: [UInt8]
        /// The last bytes of stderr, at most `maximumErrorOutput`.
        var errorOutput: [UInt8]
        /// `true` when earlier stderr bytes were dropped.
        var errorOutputTruncated: Bool
    }

    /// The child could not be started: the failing call and its errno.
    struct StartFailure: Error, Sendable {
        /// The call that failed: `pthread_create`, `pipe`, `open /dev/null`, `posix_spawnp`.
        var operation: String
        /// Its errno (`ENOENT` when the program does not exist).
        var code: Int32
    }

    /// Starts the child and waits for it on a thread of its own.
    static func run(_ request: Request) async -> Result<Outcome, StartFailure> {
        await withCheckedContinuation { continuation in
            do throws(NativeThread.StartFailure) {
                try NativeThread.detach(name: "exec-credential-plugin") { continuation.resume(returning: runBlocking(request)) }
            } catch {
                continuation.resume(returning: .failure(StartFailure(operation: "pthread_create", code: error.code)))
            }
        }
    }

    /// Starts the child and waits for it, blocking the calling thread.
    static func runBlocking(_ request: Request) -> Result<Outcome, StartFailure> {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard makePipe(&outputPipe) else { return .failure(StartFailure(operation: "pipe", code: errno)) }
        defer { close(outputPipe[0]) }
        guard makePipe(&errorPipe) else {
            let code = errno
            close(outputPipe[1])
            return .failure(StartFailure(operation: "pipe", code: code))
        }
        defer { close(errorPipe[0]) }
        let nullDevice = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let started: Result<pid_t, StartFailure> = nullDevice < 0
            ? .failure(StartFailure(operation: "open /dev/null", code: errno))
            : spawn(request, input: nullDevice, output: outputPipe[1], errorOutput: errorPipe[1])
        // The child holds its own copies; closing ours lets its exit show as end of file.
        if nullDevice >= 0 { close(nullDevice) }
        close(outputPipe[1])
        close(errorPipe[1])
        return started.map { pid in
            var collector = OutputCollector(request: request, output: outputPipe[0], errorOutput: errorPipe[0])
            return collector.collect(pid: pid)
        }
    }

    private static func makePipe(_ descriptors: inout [Int32]) -> Bool {
        // `pipe2` is not exported by the Glibc module; between `pipe` and `fcntl` another thread's
        // spawn could inherit a write end, which the collector's exit grace period tolerates.
        guard pipe(&descriptors) == 0 else { return false }
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// `posix_spawnp` with stdin, stdout and stderr redirected, a new process group, an empty
    /// signal mask and default handlers (this process may ignore SIGPIPE; the child must not).
    private static func spawn(_ request: Request, input: Int32, output: Int32,
                              errorOutput: Int32) -> Result<pid_t, StartFailure> {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, output, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errorOutput, STDERR_FILENO)

        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let arguments = [request.executable] + request.arguments
        let environment = request.environment.map { "\($0.key)=\($0.value)" }
        return withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                guard let argv, let envp else { return .failure(StartFailure(operation: "strdup", code: ENOMEM)) }
                var pid = pid_t()
                let code = posix_spawnp(&pid, request.executable, &actions, &attributes, argv, envp)
                return code == 0 ? .success(pid) : .failure(StartFailure(operation: "posix_spawnp", code: code))
            }
        }
    }

    /// Calls `body` with a NULL-terminated array of C copies of `strings` (`nil` if a copy failed).
    private static func withCStrings<R>(_ strings: [String],
                                        _ body: ([UnsafeMutablePointer<CChar>?]?) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        guard !pointers.contains(where: { $0 == nil }) else { return body(nil) }
        pointers.append(nil)
        return body(pointers)
    }
}
