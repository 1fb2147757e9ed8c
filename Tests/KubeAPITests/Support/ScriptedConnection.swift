import Foundation

/// One accepted connection of `ScriptedHTTPServer`, used by its own thread only: reads request
/// heads and bodies, writes replies. Every wait is a 100 ms `poll`, so a stopping server or a
/// client that hung up is noticed quickly.
struct ScriptedConnection {
    let descriptor: Int32
    let server: ScriptedHTTPServer
    /// Bytes read but not yet used (the start of the next request).
    private var buffer: [UInt8] = []

    init(descriptor: Int32, server: ScriptedHTTPServer) {
        self.descriptor = descriptor
        self.server = server
    }

    /// The next request, or `nil` when the client closed the connection or the server stops.
    mutating func readRequest() -> ScriptedHTTPServer.Request? {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.firstRange(of: terminator)?.upperBound
            if headEnd == nil, !readMore() { return nil }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd)
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while buffer.count < length {
            guard readMore() else { return nil }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return .init(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    /// Writes `reply`; returns `false` when the connection must end afterwards.
    func write(_ reply: ScriptedHTTPServer.Reply) -> Bool {
        switch reply {
        case .response(let status, let headers, let body, let close):
            var fields = headers
            fields["Content-Length"] = "\(body.count)"
            if close { fields["Connection"] = "close" }
            return send(head(status, fields) + body) && !close
        case .chunked(let status, let headers, let pieces, let end):
            var fields = headers
            fields["Transfer-Encoding"] = "chunked"
            guard send(head(status, fields)) else { return false }
            for piece in pieces {
                if piece.delay > .zero { Thread.sleep(forTimeInterval: Self.seconds(piece.delay)) }
                guard piece.bytes.isEmpty || send(Array(String(piece.bytes.count, radix: 16).utf8) + crlf + piece.bytes + crlf) else {
                    return false
                }
            }
            switch end {
            case .complete: return send(Array("0\r\n\r\n".utf8))
            case .drop: return false
            case .stall: waitForClose(); return false
            }
        case .stall:
            waitForClose()
            return false
        case .flood(let piece, let count):
            guard send(head(200, ["Transfer-Encoding": "chunked"])) else { return false }
            let chunk = Array(String(piece.count, radix: 16).utf8) + crlf + piece + crlf
            for _ in 0..<count {
                guard send(chunk) else { return false }
                server.wrote(piece.count)
            }
            return send(Array("0\r\n\r\n".utf8))
        }
    }

    private var crlf: [UInt8] { [13, 10] }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func head(_ status: Int, _ fields: [String: String]) -> [UInt8] {
        var text = "HTTP/1.1 \(status) Scripted\r\n"
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    /// Reads what is available into `buffer`; `false` on end of stream, error or server stop.
    private mutating func readMore() -> Bool {
        while !server.isStopping {
            var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptorSet, 1, 100)
            if ready < 0 && errno != EINTR { return false }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
        return false
    }

    /// Returns when the client has closed the connection (or the server stops); input is discarded.
    private func waitForClose() {
        var scratch = self
        while scratch.readMore() { scratch.buffer.removeAll() }
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
