import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

/// `stream` against a real scripted peer writing chunked bodies in pieces with delays.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportStreamTests {
    /// Three watch events as the API server writes them, one JSON document per line.
    static let events = Array("""
        {"type":"ADDED","object":{"kind":"Node","metadata":{"name":"sensor-01","resourceVersion":"101"}}}
        {"type":"MODIFIED","object":{"kind":"Node","metadata":{"name":"sensor-01","labels":{"port":"1_1_x1"}}}}
        {"type":"BOOKMARK","object":{"kind":"Node","metadata":{"resourceVersion":"205"}}}

        """.utf8)

    /// `bytes` split at arbitrary points (sizes 1, 2, 3, …, repeating), each piece a few ms apart.
    static func pieces(_ bytes: [UInt8], delay: Duration = .milliseconds(3)) -> [ScriptedHTTPServer.Piece] {
        var pieces: [ScriptedHTTPServer.Piece] = []
        var start = 0
        var size = 1
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            pieces.append(.init(bytes: Array(bytes[start..<end]), delay: delay))
            start = end
            size = size % 17 + 1
        }
        return pieces
    }

    @Test func yieldsTheHeadThenBodyPartsThatAddUpToWhatWasSent() async throws {
        let pieces = Self.pieces(Self.events)
        let server = try ScriptedHTTPServer(always: .chunked(status: 200, headers: ["Content-Type": "application/json"], pieces: pieces))
        defer { server.stop() }
        let transport = try server.transport { $0.bearerToken = { SecretText(CurlTransport.testToken) } }
        var head: (Int, [String: String])?
        var body: [UInt8] = []
        var partCount = 0
        for try await part in transport.stream(KubeRequest(path: "/api/v1/nodes?watch=1", timeout: nil)) {
            switch part {
            case .head(let status, let headers):
                #expect(head == nil && partCount == 0, "the head comes first and once")
                head = (status, headers)
            case .body(let bytes):
                #expect(head != nil)
                body += bytes
            }
            partCount += 1
        }
        #expect(head?.0 == 200)
        #expect(head?.1["content-type"] == "application/json")
        #expect(body == Self.events)
        #expect(partCount > 10, "pieces arrive as they are written, not at the end")
        #expect(pieces.count > 10)
        #expect(server.requests.first?.headers["authorization"] == "Bearer \(CurlTransport.testToken)")
    }

    @Test func endsCleanlyWhenTheServerEndsAnEmptyBody() async throws {
        let server = try ScriptedHTTPServer(always: .chunked(status: 200, pieces: []))
        defer { server.stop() }
        var parts: [KubeStreamPart] = []
        for try await part in try server.transport().stream(KubeRequest(path: "/w", timeout: nil)) { parts.append(part) }
        guard parts.count == 1, case .head(200, _) = parts[0] else { Issue.record("expected only a head, got \(parts)"); return }
    }

    @Test func carriesAnErrorStatusInTheHead() async throws {
        let status = Array(#"{"kind":"Status","code":410,"reason":"Expired"}"#.utf8)
        let server = try ScriptedHTTPServer(always: .response(status: 410, body: status))
        defer { server.stop() }
        var parts: [KubeStreamPart] = []
        for try await part in try server.transport().stream(KubeRequest(path: "/w", timeout: nil)) { parts.append(part) }
        guard case .head(410, _) = parts.first else { Issue.record("expected a 410 head"); return }
        #expect(parts.dropFirst().reduce(into: [UInt8]()) { if case .body(let bytes) = $1 { $0 += bytes } } == status)
    }

    @Test func throwsWhenTheServerDropsMidStream() async throws {
        let server = try ScriptedHTTPServer(always: .chunked(status: 200, pieces: Self.pieces(Array(Self.events.prefix(60))), end: .drop))
        defer { server.stop() }
        var received: [UInt8] = []
        do {
            for try await part in try server.transport().stream(KubeRequest(path: "/w", timeout: nil)) {
                if case .body(let bytes) = part { received += bytes }
            }
            Issue.record("the stream should have thrown")
        } catch let error as KubeAPIError {
            guard case .transport(let operation, _) = error else { Issue.record("expected a transport error"); return }
            #expect(operation == "GET /w")
        }
        #expect(received == Array(Self.events.prefix(60)), "every byte before the drop is delivered")
    }

    @Test func throwsATransportErrorWhenNothingListens() async throws {
        var configuration = CurlTransport.Configuration(server: "http://127.0.0.1:\(try ScriptedHTTPServer.unusedPort())")
        configuration.allowPlainHTTP = true
        let stream = try CurlTransport(configuration: configuration).stream(KubeRequest(path: "/w", timeout: nil))
        await #expect(throws: KubeAPIError.self) { for try await _ in stream {} }
    }

    @Test func cancellingTheConsumingTaskClosesTheConnection() async throws {
        let server = try ScriptedHTTPServer(always: .chunked(status: 200, pieces: [.init(bytes: Array("{}\n".utf8))], end: .stall))
        defer { server.stop() }
        let transport = try server.transport()
        let sawBody = AsyncStream<Void>.makeStream()
        let consumer = Task {
            for try await part in transport.stream(KubeRequest(path: "/w", timeout: nil)) {
                if case .body = part { sawBody.continuation.yield() }
            }
        }
        var signals = sawBody.stream.makeAsyncIterator()
        _ = await signals.next()
        #expect(server.closedConnections == 0)
        consumer.cancel()
        _ = try? await consumer.value
        #expect(await server.wait(atMost: .seconds(2)) { $0.closedConnections == 1 })
    }

    @Test func endingTheIterationEarlyClosesTheConnection() async throws {
        let server = try ScriptedHTTPServer(always: .chunked(status: 200, pieces: [.init(bytes: Array("{}\n".utf8))], end: .stall))
        defer { server.stop() }
        let transport = try server.transport()
        do {
            for try await part in transport.stream(KubeRequest(path: "/w", timeout: nil)) {
                if case .body = part { break }
            }
        }
        #expect(await server.wait(atMost: .seconds(2)) { $0.closedConnections == 1 })
        // The transport still works afterwards, on a new connection.
        let replies = try ScriptedHTTPServer(always: .response(status: 200))
        defer { replies.stop() }
        #expect(try await replies.transport().send(KubeRequest(path: "/after")).status == 200)
    }

    @Test func aRequestTimeoutAlsoEndsAStream() async throws {
        let server = try ScriptedHTTPServer(always: .chunked(status: 200, pieces: [.init(bytes: Array("{}\n".utf8))], end: .stall))
        defer { server.stop() }
        let stream = try server.transport().stream(KubeRequest(path: "/w", timeout: .milliseconds(500)))
        await #expect(throws: KubeAPIError.self) { for try await _ in stream {} }
    }
}
