import Foundation
import Logging
import Testing
@testable import HTTPServerCore
import TestSupport

/// Issue 12, fault 3: nothing a loop runs may be freed under it. Each case runs in a child process
/// (an exit test), so a crash fails the test instead of the whole test run.
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPServerLifecycleTests {
    struct Hello: HTTPResponder {
        func respond(to request: HTTPRequest) -> HTTPResponse { .text(200, "hello") }
    }

    static func server(loops: Int = 2) -> HTTPServer {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var configuration = HTTPServer.Configuration()
        configuration.eventLoopCount = loops
        configuration.tickInterval = .milliseconds(20)
        return HTTPServer(configuration: configuration,
                          listeners: [.init(name: "api", address: ListenAddress(host: "127.0.0.1", port: 0), tls: nil, responder: Hello())],
                          observer: SilentServerObserver(), logger: logger)
    }

    @Test func aServerDroppedWithoutShutdownStopsWithoutCrashing() async {
        await #expect(processExitsWith: .success) {
            var server: HTTPServer? = Self.server()
            let port = try server?.start()["api"] ?? 0
            let client = try TLSTestClient(port: port, caFile: nil)
            #expect(try client.exchange(method: "GET", path: "/").status == 200)
            server = nil
            // Ticks, the open connection and a new client all meet the dropped server's loops.
            try await Task.sleep(for: .milliseconds(300))
            _ = try? client.exchange(method: "GET", path: "/")
            _ = try? TLSTestClient(port: port, caFile: nil, timeout: 0.5).exchange(method: "GET", path: "/")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try client.readUntilClosed().isEmpty, "the dropped server closed its connections")
        }
    }

    /// The second loop cannot get an epoll descriptor: `start()` fails after the first loop runs,
    /// and what it had started is undone without a crash; the port is free again.
    @Test func aStartThatFailsHalfwayLeavesNothingBehind() async {
        await #expect(processExitsWith: .success) {
            // Every descriptor taken, then exactly four given back: the listener, epoll and eventfd
            // of loop 0, and loop 1's epoll. Loop 1's eventfd then fails.
            var limit = rlimit()
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            let saved = limit
            limit.rlim_cur = min(limit.rlim_cur, 1024)  // a table small enough to fill quickly
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            var filler: [Int32] = []
            while case let fd = dup(0), fd >= 0 { filler.append(fd) }
            for fd in filler.suffix(4) { close(fd) }
            filler.removeLast(min(4, filler.count))
            let server = Self.server(loops: 4)
            let started = Result { () throws(SocketError) in try server.start() }
            for fd in filler { close(fd) }
            var restored = saved
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restored)
            // Expectations only now: recording an issue needs descriptors.
            guard case .failure(let error) = started else {
                Issue.record("start() succeeded with four descriptors free")
                return
            }
            #expect(error.description.contains("epoll") || error.description.contains("eventfd"), "\(error)")
            try await Task.sleep(for: .milliseconds(300))
            let again = Self.server()
            let port = try again.start()["api"] ?? 0
            #expect(try TLSTestClient(port: port, caFile: nil).exchange(method: "GET", path: "/").status == 200)
            await again.shutdown()
        }
    }

    @Test func aStartThatCannotBindThrowsAndLeavesNothingRunning() async throws {
        let first = Self.server()
        let port = try first.start()["api"] ?? 0
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let second = HTTPServer(listeners: [.init(name: "api", address: ListenAddress(host: "127.0.0.1", port: port), tls: nil, responder: Hello())],
                                observer: SilentServerObserver(), logger: logger)
        #expect(throws: SocketError.self) { try second.start() }
        #expect(try TLSTestClient(port: port, caFile: nil).exchange(method: "GET", path: "/").status == 200)
        await first.shutdown()
    }
}
