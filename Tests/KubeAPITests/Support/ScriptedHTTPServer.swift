import Foundation
import Synchronization

/// A small HTTP/1.1 peer on 127.0.0.1 with a free port, for transport tests: POSIX sockets, a
/// thread that accepts and one thread per connection. Each request (head plus `Content-Length`
/// body) is recorded and answered by the test's script: a fixed response, a chunked response
/// written in pieces with delays, a response that never comes, or a connection dropped mid-body.
/// Connections are kept alive unless the reply says otherwise; accepted and closed connections are
/// counted, so a test can see connection reuse and a client that hung up.
final class ScriptedHTTPServer: Sendable {
    /// One request as the server read it.
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header fields by lower-cased name (the last one of a repeated name).
        var headers: [String: String]
        var body: [UInt8]
    }

    /// How to answer one request.
    enum Reply: Sendable {
        /// A whole response with `Content-Length`; `close` adds `Connection: close` and hangs up.
        case response(status: Int, headers: [String: String] = [:], body: [UInt8] = [], close: Bool = false)
        /// A `Transfer-Encoding: chunked` response, one chunk per piece, each after its delay.
        case chunked(status: Int, headers: [String: String] = [:], pieces: [Piece], end: End = .complete)
        /// No answer at all; the connection stays open until the client closes it.
        case stall
        /// A chunked 200 of `count` copies of `piece`, written as fast as the client takes them;
        /// the bytes written are counted (`bodyBytesWritten`).
        case flood(piece: [UInt8], count: Int)
    }

    /// One chunk of a chunked reply, written `delay` after the previous one.
    struct Piece: Sendable {
        var bytes: [UInt8]
        var delay: Duration = .zero
    }

    /// What a chunked reply does after its pieces.
    enum End: Sendable {
        /// The last chunk; the connection stays open for the next request.
        case complete
        /// Close the connection with the body unfinished.
        case drop
        /// Write nothing more and wait for the client to close.
        case stall
    }

    private struct State {
        var requests: [Request] = []
        var accepted = 0
        var closed = 0
        var bodyBytesWritten = 0
        var isStopping = false
    }

    /// The bound port on 127.0.0.1.
    let port: UInt16
    private let listener: Int32
    private let state = Mutex(State())
    private let script: @Sendable (Request) -> Reply

    /// Listens on 127.0.0.1 (a free port) and answers every request with `script`.
    init(script: @escaping @Sendable (Request) -> Reply) throws {
        let (listener, port) = try Self.listeningSocket()
        self.listener = listener
        self.port = port
        self.script = script
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "scripted-http-accept"
        thread.start()
    }

    /// A server that answers every request with `reply`.
    convenience init(always reply: Reply) throws {
        try self.init { _ in reply }
    }

    /// `http://127.0.0.1:<port>`.
    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Every request read so far, in order.
    var requests: [Request] { state.withLock { $0.requests } }
    /// Connections accepted so far.
    var acceptedConnections: Int { state.withLock { $0.accepted } }
    /// Connections that have ended (either side closed) so far.
    var closedConnections: Int { state.withLock { $0.closed } }
    /// Body bytes of `.flood` replies written so far.
    var bodyBytesWritten: Int { state.withLock { $0.bodyBytesWritten } }

    /// Counts `count` more flood bytes written (called by the connection threads).
    func wrote(_ count: Int) { state.withLock { $0.bodyBytesWritten += count } }

    /// Stops accepting; open connections end within about 100 ms.
    func stop() {
        state.withLock { $0.isStopping = true }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// Waits (polling every 20 ms, at most `limit`) until `condition` holds; returns whether it did.
    func wait(atMost limit: Duration = .seconds(5), until condition: @Sendable (ScriptedHTTPServer) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(self)
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed), for "connection refused".
    static func unusedPort() throws -> UInt16 {
        let (socket, port) = try listeningSocket(listen: false)
        close(socket)
        return port
    }

    var isStopping: Bool { state.withLock { $0.isStopping } }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR && !isStopping { continue }
                break
            }
            state.withLock { $0.accepted += 1 }
            let thread = Thread { [self] in
                serve(ScriptedConnection(descriptor: connection, server: self))
                close(connection)
                state.withLock { $0.closed += 1 }
            }
            thread.start()
        }
        close(listener)
    }

    private func serve(_ connection: ScriptedConnection) {
        var connection = connection
        while let request = connection.readRequest() {
            state.withLock { $0.requests.append(request) }
            guard connection.write(script(request)) else { return }
        }
    }

    private static func listeningSocket(listen shouldListen: Bool = true) throws -> (Int32, UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketFailure(call: "socket", code: errno) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound, !shouldListen || listen(descriptor, 128) == 0 else {
            let code = errno
            close(descriptor)
            throw SocketFailure(call: "bind/listen", code: code)
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    /// A failed socket call in the test server.
    struct SocketFailure: Error {
        var call: String
        var code: Int32
    }
}
