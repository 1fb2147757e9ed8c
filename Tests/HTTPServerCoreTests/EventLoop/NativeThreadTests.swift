import Glibc
import NativeThread
import Synchronization
import Testing

/// NativeThread (the event loops' thread, issue 14's replacement of Foundation's Thread).
@Suite struct NativeThreadTests {
    /// Runs `body` on a detached thread and waits for what it returns.
    private static func onThread(name: String, _ body: @escaping @Sendable () -> String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            do throws(NativeThread.StartFailure) {
                try NativeThread.detach(name: name) { continuation.resume(returning: body()) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// The calling thread's name as Linux shows it.
    private static func currentName() -> String {
        let descriptor = open("/proc/thread-self/comm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "?" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(descriptor, &buffer, buffer.count)
        return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).trimmingSuffixNewline()
    }

    @Test func runsTheBodyOnAnotherThreadNamedAsAsked() async throws {
        let caller = pthread_self()
        let seen = try await Self.onThread(name: "trx-test") { "\(pthread_self()) \(Self.currentName())" }
        #expect(seen.hasSuffix(" trx-test"))
        #expect(!seen.hasPrefix("\(caller) "))
    }

    @Test func longNamesKeepTheirFirstFifteenBytes() async throws {
        #expect(try await Self.onThread(name: "troxileia-cert-watcher") { Self.currentName() } == "troxileia-cert-")
    }
}

private extension String {
    func trimmingSuffixNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}
