internal import CShims
import Glibc

/// A wake-up that a session thread polls next to its socket, so cancelling the Swift task that waits
/// for the session reaches the C side at once (STYLE.md "Concurrency": cancellation reaches the C side).
///
/// `@unchecked Sendable`: the descriptor is set once in `init` and closed only in `deinit`; `fire()`
/// is a `write(2)` to an eventfd, which is safe from any thread.
final class CancellationSignal: @unchecked Sendable {
    /// The eventfd; readable once `fire()` ran.
    let descriptor: Int32

    /// A new, unfired signal.
    /// - Throws: `TapError.sshFailed` when the process is out of descriptors.
    init() throws(TapError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else {
            throw .sshFailed(stage: "create a cancellation signal", code: errno, message: String(cString: strerror(errno)))
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Wakes every wait on this signal, now and later.
    func fire() {
        var one: UInt64 = 1
        _ = write(descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Whether `fire()` ran.
    var isFired: Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }
}
