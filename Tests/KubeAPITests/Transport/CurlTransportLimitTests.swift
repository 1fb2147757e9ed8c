import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

/// Timeouts, size limits and configuration checks of `CurlTransport`, against real peers.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportLimitTests {
    @Test func requestTimeoutIsATransportErrorWithinAboutTheTimeout() async throws {
        let server = try ScriptedHTTPServer(always: .stall)
        defer { server.stop() }
        let transport = try server.transport { $0.bearerToken = { SecretText(CurlTransport.testToken) } }
        let started = ContinuousClock.now
        let error = await transport.sendError(KubeRequest(path: "/api/v1/nodes", timeout: .seconds(1)))
        let elapsed = ContinuousClock.now - started
        guard case .transport(_, let reason) = error else { Issue.record("expected a transport error"); return }
        #expect(reason.lowercased().contains("timed out"))
        // Bounded well below the server's stall (forever) but loosely: a loaded machine delays the wake-up.
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(10), "took \(elapsed)")
        CurlTransport.expectNoToken(in: error)
        #expect(await server.wait { $0.closedConnections == 1 }, "the timed-out connection is closed")
    }

    @Test func aConnectThatHangsFailsWithinTheConnectTimeout() async throws {
        // Loopback only: a listener whose accept queue is full drops further SYNs, so the next
        // connect hangs exactly like one to an unreachable host.
        let listener = try FullListener()
        defer { listener.close() }
        var configuration = CurlTransport.Configuration(server: "https://127.0.0.1:\(listener.port)")
        configuration.connectTimeout = .milliseconds(300)
        let started = ContinuousClock.now
        let error = await (try CurlTransport(configuration: configuration)).sendError(KubeRequest(path: "/version"))
        #expect(ContinuousClock.now - started < .seconds(10))
        guard case .transport(_, let reason) = error else { Issue.record("expected a transport error, got \(error)"); return }
        #expect(reason.lowercased().contains("timed out") || reason.lowercased().contains("timeout"), "\(reason)")
    }

    @Test(arguments: [false, true])
    func responseOverTheLimitIsATransportError(chunked: Bool) async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 5_000)
        let reply: ScriptedHTTPServer.Reply = chunked
            ? .chunked(status: 200, pieces: stride(from: 0, to: body.count, by: 500).map { .init(bytes: Array(body[$0..<$0 + 500])) })
            : .response(status: 200, body: body)
        let server = try ScriptedHTTPServer(always: reply)
        defer { server.stop() }
        let transport = try server.transport { $0.maxResponseBytes = 1_000 }
        let error = await transport.sendError(KubeRequest(path: "/api/v1/nodes"))
        guard case .transport(let operation, let reason) = error else { Issue.record("expected a transport error"); return }
        #expect(operation == "GET /api/v1/nodes")
        #expect(reason.contains("larger than the limit of 1000 bytes"))
        let within = try await server.transport { $0.maxResponseBytes = 5_000 }.send(KubeRequest(path: "/api/v1/nodes"))
        #expect(within.body == body, "exactly the limit is accepted")
    }

    @Test(arguments: ["ftp://127.0.0.1/", "127.0.0.1:6443", "", "https://bad host"])
    func refusesAServerThatIsNotAnHTTPSURL(server: String) {
        #expect(throws: KubeAPIError.self) { try CurlTransport(configuration: .init(server: server)) }
    }

    @Test func refusesPlainHTTPUnlessAllowed() throws {
        #expect {
            try CurlTransport(configuration: .init(server: "http://127.0.0.1:8001"))
        } throws: { error in
            guard case .configuration(_, "server", let problem) = error as? KubeAPIError else { return false }
            return problem.contains("plain http")
        }
        var allowed = CurlTransport.Configuration(server: "http://127.0.0.1:8001/")
        allowed.allowPlainHTTP = true
        #expect(try CurlTransport(configuration: allowed).configuration.baseURL == "http://127.0.0.1:8001")
    }

    @Test func refusesAClientCertificateWithoutItsKey() {
        var configuration = CurlTransport.Configuration(server: "https://127.0.0.1:6443")
        configuration.clientCertificate = .pem(Array("-----BEGIN CERTIFICATE-----".utf8))
        #expect(throws: KubeAPIError.configuration(file: nil, field: "clientKey",
                                                   problem: "a client certificate and its key must be given together")) {
            try CurlTransport(configuration: configuration)
        }
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let configuration = CurlTransport.Configuration(server: "https://10.0.0.1:6443")
        #expect(configuration.userAgent == "troxileia/\(TroxileiaVersion.current)")
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.maxResponseBytes == 256 * 1024 * 1024)
        #expect(!configuration.insecureSkipTLSVerify && !configuration.allowPlainHTTP)
        #expect(configuration.certificateAuthority == nil && configuration.bearerToken == nil)
    }
}

/// A loopback listener (backlog 0) whose accept queue is filled by connections it never accepts.
private final class FullListener {
    let port: UInt16
    private let listener: Int32
    private var fillers: [Int32] = []

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 0) == 0
                && getsockname(listener, $0, &length) == 0 }
        }
        guard bound else { throw FullListenerError() }
        port = UInt16(bigEndian: address.sin_port)
        var fillers: [Int32] = []
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(filler)
        }
        self.fillers = fillers
        usleep(100_000)  // let the handshakes of the fillers complete into the queue
    }

    func close() {
        for fd in fillers + [listener] { Glibc.close(fd) }
    }

    struct FullListenerError: Error {}
}
