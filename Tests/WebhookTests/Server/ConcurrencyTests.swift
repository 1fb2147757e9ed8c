import Foundation
import Synchronization
import Testing
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook
import TestSupport

/// Races and crowds: the behaviours that only show with many clients at once.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ConcurrencyTests {
    /// 1,000 pairs of requests, each pair claiming one free port for two different nodes, sent
    /// at the same time over 16 connections: exactly one of each pair is admitted.
    @Test func atMostOneOfTwoRacingClaimsIsAdmitted() async throws {
        let server = try TestWebhookServer(certificates: TestCertificates.shared)
        try server.start()
        defer { Task { await server.stop() } }
        let pairs = 1_000
        var work: [(port: String, node: String)] = []
        for index in 0..<pairs {
            let port = "\(2 + index / 480)_\(1 + (index / 48) % 10)_x\(1 + index % 48)"
            work.append((port, "left-\(index)"))
            work.append((port, "right-\(index)"))
        }
        work.shuffle()
        let requests = work
        let admitted = Mutex<[String: Int]>([:])
        let failures = Mutex<[String]>([])
        let connections = 16
        DispatchQueue.concurrentPerform(iterations: connections) { lane in
            do {
                let client = try server.client()
                for item in stride(from: lane, to: requests.count, by: connections).map({ requests[$0] }) {
                    let body = ReviewBuilder.review(name: item.node, new: ["port": item.port, "sensor": "true"])
                    let response = try client.exchange(body: body)
                    if ReviewBuilder.response(response.body)?["allowed"] as? Bool == true {
                        admitted.withLock { $0[item.port, default: 0] += 1 }
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let counts = admitted.withLock { $0 }
        #expect(counts.count == pairs, "every pair had one winner")
        #expect(counts.values.allSatisfy { $0 == 1 }, "no pair had two")
    }

    /// 1,000 connections held open, sending a header byte every second or nothing at all,
    /// while normal requests keep being answered.
    @Test func slowAndIdleClientsDoNotBlockNormalRequests() async throws {
        let server = try TestWebhookServer(configure: {
            $0.headerReadTimeout = .seconds(30)
            $0.handshakeTimeout = .seconds(30)
            $0.maxConnections = 2_048
        }, certificates: TestCertificates.shared)
        try server.start()
        defer { Task { await server.stop() } }
        // Plain TCP connections to the TLS port: half send a ClientHello byte by byte (stalled
        // handshakes), half nothing. A held connection costs the server a descriptor and a struct.
        var crowd: [TLSTestClient] = []
        for index in 0..<1_000 {
            let client = try TLSTestClient(port: index % 2 == 0 ? server.webhookPort : server.probePort, caFile: nil)
            crowd.append(client)
        }
        let probe = try server.probeClient()
        for round in 0..<5 {
            for (index, client) in crowd.enumerated() where index % 2 == 1 {
                try client.send(round == 0 ? "POST /validate HTTP/1.1\r\n" : "X")
            }
            let started = ContinuousClock.now
            let client = try server.client()
            let response = try client.exchange(body: ReviewBuilder.review(name: "n\(round)", new: ["port": "1_1_x9"]))
            #expect(response.status == 200)
            #expect(try probe.exchange(method: "GET", path: "/healthz").status == 200)
            // Generous: the latency target lives in the benchmark, this only catches blocking.
            #expect(ContinuousClock.now - started < .seconds(5))
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(server.server.connectionCount >= 1_000)
        crowd.removeAll()
    }
}
