import Foundation
import Testing
@testable import KubeAPI

/// Many requests at once, connection reuse, cancellation and shutdown of `CurlTransport`.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CurlTransportConcurrencyTests {
    @Test func fiftyConcurrentSendsAllComplete() async throws {
        let server = try ScriptedHTTPServer { request in
            .response(status: 200, body: Array(request.path.utf8))
        }
        defer { server.stop() }
        let transport = try server.transport()
        let bodies = try await withThrowingTaskGroup(of: (Int, KubeResponse).self) { group in
            for index in 0..<50 {
                group.addTask { (index, try await transport.send(KubeRequest(path: "/item/\(index)"))) }
            }
            var bodies: [Int: String] = [:]
            for try await (index, response) in group {
                #expect(response.status == 200)
                bodies[index] = String(decoding: response.body, as: UTF8.self)
            }
            return bodies
        }
        #expect(bodies.count == 50)
        #expect(bodies.allSatisfy { $0.value == "/item/\($0.key)" })
        #expect(server.requests.count == 50)
    }

    @Test func sequentialRequestsReuseOneKeepAliveConnection() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200, body: Array("ok".utf8)))
        defer { server.stop() }
        let transport = try server.transport()
        for index in 0..<20 {
            #expect(try await transport.send(KubeRequest(path: "/r/\(index)")).status == 200)
        }
        #expect(server.requests.count == 20)
        #expect(server.acceptedConnections == 1)
    }

    @Test func aClosedConnectionIsReplacedByANewOne() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200, close: true))
        defer { server.stop() }
        let transport = try server.transport()
        for _ in 0..<3 { #expect(try await transport.send(KubeRequest(path: "/r")).status == 200) }
        #expect(server.acceptedConnections == 3)
    }

    @Test func cancellingSendReturnsCancelledAndClosesTheConnection() async throws {
        let server = try ScriptedHTTPServer(always: .stall)
        defer { server.stop() }
        let transport = try server.transport()
        let task = Task { await transport.sendError(KubeRequest(path: "/slow", timeout: .seconds(60))) }
        #expect(await server.wait { $0.requests.count == 1 })
        let cancelled = ContinuousClock.now
        task.cancel()
        #expect(await task.value == .cancelled)
        // The request's own timeout is 60 s: returning within a few seconds shows cancellation cut it short.
        #expect(ContinuousClock.now - cancelled < .seconds(5), "send returns at once")
        #expect(await server.wait(atMost: .seconds(2)) { $0.closedConnections == 1 }, "the transfer is aborted")
    }

    @Test func aTaskCancelledBeforehandNeverSends() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let transport = try server.transport()
        let task = Task { () -> KubeAPIError? in
            while !Task.isCancelled { await Task.yield() }
            return await transport.sendError(KubeRequest(path: "/never"))
        }
        task.cancel()
        #expect(await task.value == .cancelled)
        try await Task.sleep(for: .milliseconds(200))
        #expect(server.requests.isEmpty)
    }

    @Test func shutdownFailsTransfersInFlightAndLaterRequests() async throws {
        let server = try ScriptedHTTPServer(always: .stall)
        defer { server.stop() }
        let transport = try server.transport()
        let inFlight = Task { await transport.sendError(KubeRequest(path: "/slow", timeout: nil)) }
        #expect(await server.wait { $0.requests.count == 1 })
        await transport.shutdown()
        guard case .transport(_, let reason) = await inFlight.value else { Issue.record("expected a transport error"); return }
        #expect(reason.contains("shut down"))
        #expect(await server.wait(atMost: .seconds(2)) { $0.closedConnections == 1 })
        guard case .transport = await transport.sendError(KubeRequest(path: "/later")) else {
            Issue.record("expected a transport error after shutdown")
            return
        }
        var parts = transport.stream(KubeRequest(path: "/later", timeout: nil)).makeAsyncIterator()
        await #expect(throws: KubeAPIError.self) { _ = try await parts.next() }
    }

    @Test func shutdownEndsAStreamInFlight() async throws {
        let server = try ScriptedHTTPServer(always: .stall)
        defer { server.stop() }
        let transport = try server.transport()
        let stream = transport.stream(KubeRequest(path: "/watch", timeout: nil))
        #expect(await server.wait { $0.requests.count == 1 })
        await transport.shutdown()
        await #expect(throws: KubeAPIError.self) { for try await _ in stream {} }
        #expect(await server.wait(atMost: .seconds(2)) { $0.closedConnections == 1 })
    }

    @Test func aStreamKeepsItsTransportAliveUntilItEnds() async throws {
        let server = try ScriptedHTTPServer(always: .chunked(status: 200, pieces: [.init(bytes: [1], delay: .milliseconds(300))]))
        defer { server.stop() }
        weak var weakTransport: CurlTransport?
        let stream = try {
            let transport = try server.transport()
            weakTransport = transport
            return transport.stream(KubeRequest(path: "/watch", timeout: nil))
        }()
        var body: [UInt8] = []
        for try await part in stream { if case .body(let bytes) = part { body += bytes } }
        #expect(body == [1])
        try await Task.sleep(for: .milliseconds(100))
        #expect(weakTransport == nil, "released once the stream has ended")
    }

    @Test func shutdownClosesKeptAliveConnections() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        let transport = try server.transport()
        async let first = transport.send(KubeRequest(path: "/a"))
        async let second = transport.send(KubeRequest(path: "/b"))
        _ = try await (first, second)
        #expect(server.closedConnections == 0, "kept alive for reuse")
        await transport.shutdown()
        #expect(await server.wait(atMost: .seconds(2)) { $0.closedConnections == $0.acceptedConnections })
    }

    @Test func droppingTheLastReferenceFreesEverything() async throws {
        let server = try ScriptedHTTPServer(always: .response(status: 200))
        defer { server.stop() }
        weak var weakTransport: CurlTransport?
        do {
            let transport = try server.transport()
            weakTransport = transport
            #expect(try await transport.send(KubeRequest(path: "/a")).status == 200)
        }
        #expect(weakTransport == nil)
        // The connection cache goes with the multi handle, which goes when the loop thread ends.
        #expect(await server.wait(atMost: .seconds(2)) { $0.acceptedConnections == 1 && $0.closedConnections == 1 })
    }
}
