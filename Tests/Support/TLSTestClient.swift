internal import COpenSSL
internal import COpenSSLShims
import Foundation

/// A blocking TLS (or plain) client for tests: real handshakes over loopback, bytes sent
/// exactly as given, so tests can send well-formed requests, garbage, slow bytes, pipelines.
/// Every read has a timeout so a hung server fails the test instead of hanging it.
public final class TLSTestClient {
    public struct ClientError: Error, CustomStringConvertible { public let description: String }

    /// A parsed HTTP response.
    public struct Response {
        public let status: Int
        public let headers: [(String, String)]
        public let body: [UInt8]
        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let descriptor: Int32
    private var ssl: OpaquePointer?
    private var context: OpaquePointer?
    private var buffered: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; with `caFile` does a verified TLS handshake offering `alpn`.
    public init(port: UInt16, caFile: String?, alpn: [String] = ["http/1.1"], timeout: TimeInterval = 10) throws {
        descriptor = try Loopback.connect(port: port, timeout: timeout)
        guard let caFile else { return }
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw ClientError(description: "SSL_CTX_new failed") }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else { throw ClientError(description: "cannot load CA \(caFile)") }
        var wire: [UInt8] = []
        for name in alpn { wire.append(UInt8(name.utf8.count)); wire.append(contentsOf: name.utf8) }
        if !wire.isEmpty { _ = SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count)) }
        guard let ssl = SSL_new(context) else { throw ClientError(description: "SSL_new failed") }
        self.ssl = ssl
        SSL_set_fd(ssl, descriptor)
        _ = CShims_SSL_set_tlsext_host_name(ssl, "localhost")
        _ = SSL_set1_host(ssl, "127.0.0.1")
        guard SSL_connect(ssl) == 1 else {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(ERR_get_error(), &text, 256)
            let message = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ClientError(description: "handshake failed: \(message)")
        }
    }

    deinit {
        if let ssl { SSL_free(ssl) }
        if let context { SSL_CTX_free(context) }
        close(descriptor)
    }

    /// The ALPN protocol the server selected.
    public var negotiatedProtocol: String? {
        guard let ssl else { return nil }
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer -> Int in
                if let ssl { return Int(SSL_write(ssl, buffer.baseAddress, Int32(buffer.count))) }
                return Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw ClientError(description: "send failed") }
            offset += written
        }
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Closes our sending side (TCP half-close) while still reading.
    public func shutdownWrite() { Glibc.shutdown(descriptor, Int32(SHUT_WR)) }

    /// Reads some bytes; empty at EOF; throws on timeout or error.
    public func receiveSome() throws -> [UInt8] {
        if !buffered.isEmpty { defer { buffered = [] }; return buffered }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { buffer -> Int in
            if let ssl { return Int(SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))) }
            return Glibc.recv(descriptor, buffer.baseAddress, buffer.count, 0)
        }
        if count > 0 { return Array(chunk[0..<count]) }
        if let ssl {
            let error = SSL_get_error(ssl, Int32(count))
            if error == SSL_ERROR_ZERO_RETURN { return [] }
            if error == SSL_ERROR_SYSCALL && errno == 0 { return [] }
            if error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK) { throw ClientError(description: "timed out") }
            if error == SSL_ERROR_SYSCALL && errno == ECONNRESET { return [] }
            throw ClientError(description: "SSL_read failed (\(error))")
        }
        if count == 0 || errno == ECONNRESET { return [] }
        throw ClientError(description: errno == EAGAIN ? "timed out" : "recv failed")
    }

    /// `true` when the server closes the connection (EOF) before `timeout`... within the socket timeout.
    public func readUntilClosed() throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let some = try receiveSome()
            if some.isEmpty { return all }
            all += some
        }
    }

    /// Reads one HTTP/1.1 response (Content-Length framed).
    public func readResponse() throws -> Response {
        var data = buffered
        buffered = []
        while true {
            if let end = Self.headerEnd(data) {
                let head = String(decoding: data[..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw ClientError(description: "bad status line: \(head)") }
                let headers = lines.compactMap { line -> (String, String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
                let bodyStart = end + 4
                while data.count < bodyStart + length {
                    let some = try receiveSome()
                    if some.isEmpty { throw ClientError(description: "EOF inside body") }
                    data += some
                }
                buffered = Array(data[(bodyStart + length)...])
                if status == 100 { data = buffered; buffered = []; continue }
                return Response(status: status, headers: headers, body: Array(data[bodyStart..<(bodyStart + length)]))
            }
            let some = try receiveSome()
            if some.isEmpty { throw ClientError(description: "EOF before a response (\(data.count) bytes read)") }
            data += some
        }
    }

    /// Sends a request and reads its response.
    public func exchange(method: String = "POST", path: String = "/validate", headers: [String: String] = [:],
                  body: [UInt8] = [], contentType: String? = "application/json") throws -> Response {
        try send(Self.request(method: method, path: path, headers: headers, body: body, contentType: contentType))
        return try readResponse()
    }

    public static func request(method: String = "POST", path: String = "/validate", headers: [String: String] = [:],
                        body: [UInt8] = [], contentType: String? = "application/json") -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    private static func headerEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }
}
