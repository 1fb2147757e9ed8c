import Foundation
import Testing
@testable import HTTPServerCore
import TestSupport

/// Listening on both address families (the default `--webhook-listen` is `[::]:8443`).
@Suite(.serialized, .timeLimit(.minutes(1))) struct SocketTests {
    struct Hello: HTTPResponder {
        func respond(to request: HTTPRequest) -> HTTPResponse { .text(200, "hello") }
    }

    @Test(arguments: [("127.0.0.1", AF_INET), ("::1", AF_INET6)])
    func servesOnEitherAddressFamily(host: String, family: Int32) async throws {
        try await withPlainServer(Hello(), host: host) { port, _ in
            let answer = try Self.get(host: host, family: family, port: port)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(answer.hasSuffix("hello"))
        }
    }

    /// One `GET /` over a blocking socket of `family`, read to the end (the request asks to close).
    private static func get(host: String, family: Int32, port: UInt16) throws -> String {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let address = list?.pointee else { throw POSIXError(.EINVAL) }
        defer { freeaddrinfo(list) }
        let fd = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        defer { close(fd) }
        var limit = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, address.ai_addr, address.ai_addrlen) == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            answer += buffer[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
