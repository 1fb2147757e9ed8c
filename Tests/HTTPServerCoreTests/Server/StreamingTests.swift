import Foundation
import Logging
import Synchronization
import Testing
@testable import HTTPServerCore
import TestSupport

/// Streamed (chunked) responses, as the Kubernetes API stand-in serves watches.
@Suite(.serialized, .timeLimit(.minutes(1))) struct StreamingTests {
    /// `/stream` answers with a stream the test drives; anything else with "plain".
    final class StreamingResponder: HTTPResponder {
        let streams = Mutex<[HTTPBodyStream]>([])
        let gone = Atomic<Int>(0)

        func respond(to request: HTTPRequest) -> HTTPResponse {
            guard request.path == "/stream" else { return .text(200, "plain") }
            let stream = HTTPBodyStream()
            stream.onClientGone { [self] in gone.add(1, ordering: .relaxed) }
            stream.write(Array("first\n".utf8))  // written before the connection attaches
            streams.withLock { $0.append(stream) }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            return HTTPResponse(status: 200, headers: headers, stream: stream)
        }

        func latest() async throws -> HTTPBodyStream {
            for _ in 0..<200 {
                if let stream = streams.withLock({ $0.last }) { return stream }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw CancellationError()
        }
    }

    private func withServer(configure: (inout HTTPServer.Configuration) -> Void = { _ in },
                            _ body: (UInt16, StreamingResponder) async throws -> Void) async throws {
        try await withPlainServer(StreamingResponder(), configure: configure, body)
    }

    @Test func streamsChunksFromAnotherThreadThenServesTheNextRequest() async throws {
        try await withServer { port, responder in
            let client = try TLSTestClient(port: port, caFile: nil)
            try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            let stream = try await responder.latest()
            DispatchQueue.global().async {
                for index in 0..<3 { stream.write(Array("event \(index)\n".utf8)) }
                stream.finish()
            }
            // Read until the pipelined response's body has arrived too (one read may carry both).
            var received: [UInt8] = []
            while received.firstRange(of: Array("\r\n\r\nplain".utf8)) == nil { received += try client.receiveSome() }
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"))
            let body = "6\r\nfirst\n\r\n8\r\nevent 0\n\r\n8\r\nevent 1\n\r\n8\r\nevent 2\n\r\n0\r\n\r\n"
            #expect(text.contains(body + "HTTP/1.1 200 OK\r\n"), "the pipelined request waited for the stream's end")
            #expect(!stream.write(Array("late".utf8)), "finished streams refuse writes")
        }
    }

    @Test func tellsTheProducerWhenTheClientGoes() async throws {
        try await withServer { port, responder in
            var client: TLSTestClient? = try TLSTestClient(port: port, caFile: nil)
            try client?.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            let stream = try await responder.latest()
            _ = try client?.receiveSome()
            client = nil
            for _ in 0..<100 where stream.isOpen {
                stream.write(Array("tick\n".utf8))
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(!stream.isOpen)
            #expect(responder.gone.load(ordering: .relaxed) == 1)
        }
    }

    /// Issue 12, fault 2: bytes sent behind a live stream are not read, so they start no request
    /// timer: the stream completes intact, and the late request is judged only after it.
    @Test func noRequestTimerRunsBehindALiveStream() async throws {
        try await withServer(configure: {
            $0.headerReadTimeout = .milliseconds(200)
            $0.tickInterval = .milliseconds(50)
        }) { port, responder in
            let client = try TLSTestClient(port: port, caFile: nil)
            try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /partial HTTP/1.1\r\n")
            let stream = try await responder.latest()
            try await Task.sleep(for: .milliseconds(800))  // four header timeouts
            stream.write(Array("late event\n".utf8))
            stream.finish()
            var received: [UInt8] = []
            while received.firstRange(of: Array("the request was not received in time".utf8)) == nil {
                let some = try client.receiveSome()
                if some.isEmpty { break }
                received += some
            }
            let text = String(decoding: received, as: UTF8.self)
            let streamed = "6\r\nfirst\n\r\nb\r\nlate event\n\r\n0\r\n\r\nHTTP/1.1 408 Request Timeout\r\n"
            #expect(text.contains(streamed), "the stream ends intact; the partial request times out only after it: \(text)")
        }
    }
}
