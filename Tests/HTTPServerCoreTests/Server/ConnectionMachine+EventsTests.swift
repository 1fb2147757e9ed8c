import Testing
@testable import HTTPServerCore

/// Behaviours that take several events, on a test clock.
@Suite struct ConnectionMachineEventsTests {
    typealias Machine = ConnectionMachine
    let t0 = ContinuousClock.now

    private func plain(_ limits: Machine.Limits = .init()) -> Machine {
        Machine(limits: limits, parser: .init(), tls: false, now: t0)
    }

    private func feed(_ machine: inout Machine, _ text: String, at seconds: Double = 0) -> [Machine.Action] {
        Array(text.utf8).withUnsafeBytes { machine.bytesRead($0, now: t0 + .seconds(seconds)) }
    }

    @Test func answersPipelinedRequestsOneAtATimeInOrder() throws {
        var machine = plain()
        let both = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(feed(&machine, both) == [.dispatch(HTTPRequest(method: "GET", target: "/a", headers: HTTPHeaders([("Host", "x")])))])
        #expect(machine.responseReady(.text(200, "a"), now: t0, draining: false) == [.write(HTTPResponse.text(200, "a").serialized(keepAlive: true))])
        // The second request is parsed only once the first answer has left.
        let next = machine.writeSettled(now: t0)
        #expect(next == [.dispatch(HTTPRequest(method: "GET", target: "/b", headers: HTTPHeaders([("Host", "x")])))])
    }

    /// Issue 12, fault 2: while a streamed response is outstanding nothing is read, so bytes sent
    /// behind it cannot grow the parser, and no request timer runs behind the stream.
    @Test func readsNothingAndTimesNothingOutBehindAStream() {
        var machine = plain(Machine.Limits(headerRead: .seconds(1)))
        let stream = HTTPBodyStream()
        _ = feed(&machine, "GET /watch HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(machine.responseReady(HTTPResponse(status: 200, stream: stream), now: t0, draining: false).count == 2)
        #expect(machine.interest == .peerClose, "no EPOLLIN: the kernel holds what the client sends")
        let megabyte = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<256 { #expect(megabyte.withUnsafeBytes { machine.bytesRead($0, now: t0) }.isEmpty) }
        #expect(!machine.parser.hasBufferedBytes, "nothing buffered behind the stream")
        #expect(machine.tick(now: t0 + .seconds(60), draining: false).isEmpty, "no 408 into a live response")
        #expect(machine.streamData(Array("event\n".utf8), from: stream, unsent: 0) == [.write(HTTPResponse.chunk(Array("event\n".utf8)))])
        #expect(machine.streamEnded(stream, now: t0 + .seconds(61)) == [.write(HTTPResponse.lastChunk)])
        #expect(machine.writeSettled(now: t0 + .seconds(61)).isEmpty)
        #expect(machine.interest == .read, "reading resumes after the stream")
    }

    /// The same for an answer that comes later: no read, no timer, no idle close meanwhile.
    @Test func waitsForADeferredAnswerWithoutReadingOrTimingOut() {
        var machine = plain()
        let deferred = HTTPDeferredResponse()
        _ = feed(&machine, "GET /later HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(machine.responseReady(.later(deferred), now: t0, draining: false) == [.awaitAnswer(deferred)])
        #expect(machine.tick(now: t0 + .seconds(600), draining: true).isEmpty)
        #expect(machine.deferredAnswered(.text(200, "stale"), from: HTTPDeferredResponse(), now: t0).isEmpty, "another answer is ignored")
        #expect(machine.deferredAnswered(.text(201, "done"), from: deferred, now: t0).count == 1)
        #expect(machine.writeSettled(now: t0).first.map { if case .dispatch = $0 { true } else { false } } == true)
    }

    /// Slowloris: the header timer runs from the request's first byte, however it trickles in.
    @Test func headerTimerRunsFromTheFirstByteOfTheRequest() {
        var machine = plain()
        _ = feed(&machine, "POST /validate HTTP/1.1\r\n", at: 0)
        for second in 1...4 { #expect(feed(&machine, "X", at: Double(second)).isEmpty) }
        #expect(machine.tick(now: t0 + .seconds(4.9), draining: false).isEmpty)
        let late = machine.tick(now: t0 + .seconds(5.1), draining: false)
        #expect(late.first == .refused(status: 408))
        #expect(machine.writeSettled(now: t0 + .seconds(5.1)) == [.close(.refused)])
    }

    /// A blocked write pauses reading; when reading resumes, the request timers start again then.
    @Test func requestTimersRestartAfterAWriteThatBlocked() {
        var machine = plain()
        _ = feed(&machine, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n")
        _ = machine.responseReady(.text(200, "a"), now: t0, draining: false)
        machine.writeBlocked(now: t0)
        #expect(machine.tick(now: t0 + .seconds(20), draining: false).isEmpty, "the client is reading slowly, within the write timeout")
        _ = machine.writeSettled(now: t0 + .seconds(20))
        #expect(machine.deadline == t0 + .seconds(25), "the header timer of /b starts when reading resumes")
    }

    @Test func answersExpectContinueThenTimesTheBodyFromThere() {
        var machine = plain()
        let actions = feed(&machine, "POST /v HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", at: 1)
        #expect(actions == [.write(HTTPResponse.continueBytes)])
        #expect(machine.writeSettled(now: t0 + .seconds(2)).isEmpty)
        #expect(machine.deadline == t0 + .seconds(32))
        #expect(feed(&machine, "{}", at: 3).count == 1)
    }

    @Test func drainingMakesTheAnswerTheLastOne() {
        var machine = plain()
        _ = feed(&machine, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(machine.responseReady(.text(200, "ok"), now: t0, draining: true) == [.write(HTTPResponse.text(200, "ok").serialized(keepAlive: false))])
        #expect(machine.writeSettled(now: t0) == [.close(.finished)])
    }

    @Test func refusesAMalformedRequestAndClosesAfterTheAnswer() {
        var machine = plain()
        let actions = feed(&machine, "BAD\r\n\r\n")
        #expect(actions.first == .refused(status: 400))
        #expect(machine.interest == .write)
        #expect(machine.writeSettled(now: t0) == [.close(.refused)])
    }

    @Test func cutsOffAStreamReaderThatFallsTooFarBehind() {
        var machine = plain(Machine.Limits(streamBacklog: 100))
        let stream = HTTPBodyStream()
        _ = feed(&machine, "GET /watch HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = machine.responseReady(HTTPResponse(status: 200, stream: stream), now: t0, draining: false)
        #expect(machine.streamData([UInt8](repeating: 1, count: 50), from: stream, unsent: 40).count == 1)
        #expect(machine.streamData([UInt8](repeating: 1, count: 50), from: stream, unsent: 60) == [.abandonStream(stream), .close(.streamBacklog)])
    }

    @Test func aHalfClosedClientStillGetsItsAnswer() {
        var machine = plain()
        _ = feed(&machine, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = machine.responseReady(.text(200, "ok"), now: t0, draining: false)
        #expect(machine.peerClosed().isEmpty, "the answer is still being written")
        #expect(machine.writeSettled(now: t0) == [.close(.peerClosed)])
    }
}
