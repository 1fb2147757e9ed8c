import Foundation
import Logging
import Synchronization
import Testing
@testable import HTTPServerCore
import TestSupport

/// Issue 12, fault 1, in a child process (an exit test) whose descriptors the test may exhaust:
/// out of descriptors, the listener pauses instead of spinning, says so once, counts each pause,
/// and serves again by itself once descriptors are free.
@Suite(.serialized, .timeLimit(.minutes(1))) struct AcceptorTests {
    /// Counts the backoffs and the log lines.
    struct Counting: HTTPServerObserver, LogHandler {
        static let pauses = Atomic<Int>(0)
        static let lines = Atomic<Int>(0)
        func connectionOpened(listener: String) {}
        func connectionClosed(listener: String) {}
        func connectionRefused(listener: String) {}
        func handshakeFailed(listener: String, reason: HandshakeFailure) {}
        func malformedRequest(listener: String, status: Int) {}
        func acceptPaused(listener: String) { Self.pauses.add(1, ordering: .relaxed) }

        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { Self.lines.add(1, ordering: .relaxed) }
    }

    struct Hello: HTTPResponder {
        func respond(to request: HTTPRequest) -> HTTPResponse { .text(200, "hello") }
    }

    @Test func outOfDescriptorsTheListenerPausesQuietlyAndComesBack() async {
        await #expect(processExitsWith: .success) {
            var configuration = HTTPServer.Configuration()
            configuration.eventLoopCount = 1
            configuration.tickInterval = .milliseconds(50)
            let server = HTTPServer(configuration: configuration,
                                    listeners: [.init(name: "api", address: ListenAddress(host: "127.0.0.1", port: 0), tls: nil, responder: Hello())],
                                    observer: Counting(), logger: Logger(label: "test") { _ in Counting() })
            let port = try server.start()["api"] ?? 0
            // Sockets first, then every other descriptor taken, then the connects: the server's
            // accept can only fail with EMFILE.
            let clients = (0..<5).map { _ in socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) }
            var filler: [Int32] = []
            while case let fd = dup(0), fd >= 0 { filler.append(fd) }
            let exhausted = errno
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = clients.map { client in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            var before = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &before)
            // Not Task.sleep: with no descriptor left, a new dispatch timer cannot get its
            // timerfd and libdispatch traps. This child process runs nothing else meanwhile.
            usleep(2_000_000)
            var after = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &after)
            let cpu = Self.seconds(after.ru_utime) + Self.seconds(after.ru_stime) - Self.seconds(before.ru_utime) - Self.seconds(before.ru_stime)
            let pauses = Counting.pauses.load(ordering: .relaxed)
            let lines = Counting.lines.load(ordering: .relaxed)
            // Descriptors back before any expectation: recording an issue needs some.
            for fd in filler { close(fd) }
            #expect(exhausted == EMFILE)
            #expect(connected.allSatisfy { $0 == 0 })
            #expect(cpu < 0.2, "under 10 % of a core while out of descriptors (was 100 %): \(cpu) s in 2 s")
            #expect((1...3).contains(pauses), "one pause per second")
            #expect(lines == 1, "one log line for the episode")

            let request = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(clients[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = request.withUnsafeBytes { send(clients[0], $0.baseAddress, $0.count, 0) }
            var buffer = [UInt8](repeating: 0, count: 1024)
            let count = buffer.withUnsafeMutableBytes { recv(clients[0], $0.baseAddress, $0.count, 0) }
            #expect(String(decoding: buffer[..<max(0, count)], as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"), "served once descriptors are free")
            let linesAfter = Counting.lines.load(ordering: .relaxed)
            #expect(linesAfter == 2, "and one line when accepting again")
            await server.shutdown()
        }
    }

    static func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
}
