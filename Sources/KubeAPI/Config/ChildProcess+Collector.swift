#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ChildProcess {
    /// Reads a running child's stdout and stderr until both end, the deadline passes or stdout
    /// overflows, then reaps the child. Runs on the thread ``ChildProcess/run(_:)`` started.
    struct OutputCollector {
        private let request: Request
        private let outputDescriptor: Int32
        private let errorDescriptor: Int32
        private var output: [UInt8] = []
        private var errorOutput: [UInt8] = []
        private var errorOutputTruncated = false
        private var chunk = [UInt8](repeating: 0, count: 1 << 16)

        /// A collector for the read ends of the child's stdout and stderr pipes.
        init(request: Request, output: Int32, errorOutput: Int32) {
            self.request = request
            self.outputDescriptor = output
            self.errorDescriptor = errorOutput
        }

        /// Collects until the child is done or killed, and how it ended.
        mutating func collect(pid: pid_t) -> Outcome {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: request.timeout)
            var outputOpen = true
            var errorOpen = true
            var status: Int32?
            var exitedAt: ContinuousClock.Instant?
            var ending: Ending?

            while outputOpen || errorOpen {
                let now = clock.now
                if now >= deadline { ending = .timedOut; break }
                if status == nil, let reaped = reap(pid, wait: false) { status = reaped; exitedAt = now }
                // The plugin exited but something it started still holds the pipes: its output is
                // complete, so stop waiting soon instead of running into the timeout.
                if let exitedAt, now - exitedAt > .milliseconds(500) { break }
                // Wake at least every 100 ms to notice such an exit.
                let wait = min(deadline - now, .milliseconds(100))
                var descriptors = [pollfd(fd: outputOpen ? outputDescriptor : -1, events: Int16(POLLIN), revents: 0),
                                   pollfd(fd: errorOpen ? errorDescriptor : -1, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&descriptors, nfds_t(descriptors.count), Self.milliseconds(wait))
                if ready < 0 && errno != EINTR { break }
                if ready <= 0 { continue }
                if descriptors[0].revents != 0 {
                    outputOpen = readAvailable(from: outputDescriptor, isOutput: true)
                    if output.count > request.maximumOutput { ending = .outputTooLarge; break }
                }
                if descriptors[1].revents != 0 {
                    errorOpen = readAvailable(from: errorDescriptor, isOutput: false)
                }
            }
            // Kill the whole group when we stop early, so no descendant lingers holding our pipes.
            if ending != nil || outputOpen || errorOpen { Self.terminate(pid) }
            while status == nil {
                if ending != nil {
                    status = reap(pid, wait: true)
                    break
                }
                // Both pipes ended but the child may still run (it closed stdout early): the
                // deadline still holds.
                if let reaped = reap(pid, wait: false) { status = reaped; break }
                if clock.now >= deadline {
                    ending = .timedOut
                    Self.terminate(pid)
                    continue
                }
                usleep(10_000)
            }
            if errorOutput.count > request.maximumErrorOutput {
                errorOutput.removeFirst(errorOutput.count - request.maximumErrorOutput)
                errorOutputTruncated = true
            }
            return Outcome(ending: ending ?? Self.decode(status ?? 0), output: output,
                           errorOutput: errorOutput, errorOutputTruncated: errorOutputTruncated)
        }

        /// Reads what one pipe holds; `false` at its end (or on an error, which ends it too).
        private mutating func readAvailable(from descriptor: Int32, isOutput: Bool) -> Bool {
            var count: Int
            repeat {
                count = chunk.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return 0 }
                    return read(descriptor, base, raw.count)
                }
            } while count < 0 && errno == EINTR
            guard count > 0 else { return false }
            if isOutput {
                output.append(contentsOf: chunk[0..<count])
            } else {
                errorOutput.append(contentsOf: chunk[0..<count])
                // Keep the tail; trim in steps so a chatty plugin does not cause a copy per read.
                if errorOutput.count > 2 * request.maximumErrorOutput {
                    errorOutput.removeFirst(errorOutput.count - request.maximumErrorOutput)
                    errorOutputTruncated = true
                }
            }
            return true
        }

        /// SIGKILL to the child's process group and, in case the child left that group
        /// (`setpgid`), to the child itself, so the blocking `waitpid` that follows returns.
        private static func terminate(_ pid: pid_t) {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }

        /// `waitpid` for `pid`, retried on EINTR: its status once it has exited, else `nil`.
        /// ECHILD (someone else reaped it) reads as a plain exit, left for the output to judge.
        private func reap(_ pid: pid_t, wait: Bool) -> Int32? {
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, wait ? 0 : WNOHANG)
                if result == pid { return status }
                if result == 0 { return nil }
                if errno == EINTR { continue }
                return 0
            }
        }

        /// The `exited`/`signalled` reading of a wait status (the WIFEXITED macros, by hand).
        private static func decode(_ status: Int32) -> Ending {
            let signal = status & 0x7f
            return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        }

        /// `duration` in whole milliseconds for `poll`, at least 1 so the loop never spins.
        private static func milliseconds(_ duration: Duration) -> Int32 {
            let (seconds, attoseconds) = duration.components
            return Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        }
    }
}
