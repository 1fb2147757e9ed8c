import Foundation
import Logging
import Synchronization
import Testing
@testable import HTTPServerCore
import TestSupport

/// Responses answered later through `HTTPDeferredResponse`, as the Kubernetes API stand-in
/// answers Node writes after calling the admission webhook.
@Suite(.serialized, .timeLimit(.minutes(1))) struct DeferredResponseTests {
    /// `/later` answers through a deferred response the test completes; anything else with "plain".
    final class DeferringResponder: HTTPResponder {
        let pending = Mutex<[HTTPDeferredResponse]>([])
        let gone = Atomic<Int>(0)

        func respond(to request: HTTPRequest) -> HTTPResponse {
            guard request.path == "/later" else { return .text(200, "plain") }
            let deferred = HTTPDeferredResponse()
            deferred.onClientGone { [self] in gone.add(1, ordering: .relaxed) }
            pending.withLock { $0.append(deferred) }
            return .later(deferred)
        }

        func latest() async throws -> HTTPDeferredResponse {
            for _ in 0..<200 {
                if let deferred = pending.withLock({ $0.last }) { return deferred }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw CancellationError()
        }
    }

    private func withServer(_ body: (UInt16, DeferringResponder) async throws -> Void) async throws {
        try await withPlainServer(DeferringResponder(), body)
    }

    @Test func answersLaterFromAnotherThreadThenServesThePipelinedRequest() async throws {
        try await withServer { port, responder in
            let client = try TLSTestClient(port: port, caFile: nil)
            try client.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            let deferred = try await responder.latest()
            DispatchQueue.global().async {
                deferred.complete(.text(201, "done"))
                deferred.complete(.text(500, "ignored: only the first answer counts"))
            }
            var received: [UInt8] = []
            while received.firstRange(of: Array("\r\n\r\nplain".utf8)) == nil { received += try client.receiveSome() }
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 201 Created\r\n"))
            #expect(text.contains("\r\n\r\ndoneHTTP/1.1 200 OK\r\n"), "the pipelined request waited for the deferred answer")
            #expect(!text.contains("ignored"))
        }
    }

    @Test func anAnswerGivenBeforeTheConnectionWaitsIsSent() async throws {
        try await withServer { port, _ in
            _ = port
            let deferred = HTTPDeferredResponse()
            deferred.complete(.text(200, "early"))
            let delivered = Mutex<HTTPResponse?>(nil)
            deferred.attach { response in delivered.withLock { $0 = response } }
            #expect(delivered.withLock { $0 } == .text(200, "early"))
        }
    }

    @Test func tellsTheProducerWhenTheClientGoesBeforeTheAnswer() async throws {
        try await withServer { port, responder in
            var client: TLSTestClient? = try TLSTestClient(port: port, caFile: nil)
            try client?.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\n")
            let deferred = try await responder.latest()
            client = nil
            for _ in 0..<200 where responder.gone.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(responder.gone.load(ordering: .relaxed) == 1)
            deferred.complete(.text(200, "too late"))  // dropped without harm
        }
    }

    @Test func aStreamedAnswerIsSentChunked() async throws {
        try await withServer { port, responder in
            let client = try TLSTestClient(port: port, caFile: nil)
            try client.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\n")
            let deferred = try await responder.latest()
            let stream = HTTPBodyStream()
            deferred.complete(HTTPResponse(status: 200, stream: stream))
            stream.write(Array("event\n".utf8))
            stream.finish()
            var received: [UInt8] = []
            while received.firstRange(of: Array("0\r\n\r\n".utf8)) == nil { received += try client.receiveSome() }
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.contains("Transfer-Encoding: chunked\r\n\r\n6\r\nevent\n\r\n0\r\n\r\n"))
        }
    }
}
