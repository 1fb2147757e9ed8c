import Foundation
import Logging
import Synchronization
import Testing
internal import CLinuxShims
@testable import HTTPServerCore

/// The driver against a real socket pair, its loop not running: the test thread plays the loop.
@Suite struct ConnectionTests {
    /// Answers every request with a stream it keeps.
    final class StreamResponder: HTTPResponder {
        let stream = HTTPBodyStream()
        let gone = Flag()
        init() { stream.onClientGone { [gone] in gone.value.store(true, ordering: .relaxed) } }
        func respond(to request: HTTPRequest) -> HTTPResponse { HTTPResponse(status: 200, stream: stream) }
    }

    final class Flag: Sendable { let value = Atomic<Bool>(false) }

    /// Issue 12, fault 4: when epoll refuses a change of what is watched, the connection closes at
    /// once and cleanly (slot freed, producer told, peer sees the close) instead of hanging.
    @Test func aConnectionEpollCannotWatchClosesCleanly() throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let shared = ServerShared(configuration: .init(), observer: SilentServerObserver(), logger: logger)
        let loop = try EventLoop()
        let runtime = LoopRuntime(eventLoop: loop, shared: shared)
        let responder = StreamResponder()
        let listener = ListenerRuntime(name: "test", descriptor: -1, port: 0, tls: nil, responder: responder)
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        let (server, client) = (pair[0], pair[1])
        defer { close(client) }
        _ = fcntl(server, F_SETFL, fcntl(server, F_GETFL) | O_NONBLOCK)
        #expect(shared.reserveConnection())
        runtime.adopt(server, from: listener)
        let connection = try #require(runtime.connection(on: server))

        loop.deregister(server)  // epoll forgets the socket behind the connection's back
        let request = Array("GET /watch HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        #expect(request.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) } == request.count)
        connection.handleEvents(UInt32(EPOLLIN.rawValue))  // reads, starts the stream, must watch for less

        #expect(runtime.connection(on: server) == nil, "forgotten by the loop")
        #expect(shared.connectionCount == 0, "its slot is free")
        let told = responder.gone.value.load(ordering: .relaxed)
        #expect(told, "the stream's producer was told")
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received: [UInt8] = []
        while case let count = buffer.withUnsafeMutableBytes({ recv(client, $0.baseAddress, $0.count, 0) }), count > 0 {
            received += buffer[..<count]
        }
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"), "then closed (EOF)")
    }
}
