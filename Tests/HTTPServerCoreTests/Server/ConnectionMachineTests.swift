import Testing
@testable import HTTPServerCore

/// The connection machine on a test clock: every state × every event, then the behaviours that
/// take several events (pipelining, the faults of issue 12).
@Suite struct ConnectionMachineTests {
    typealias Machine = ConnectionMachine
    static let t0 = ContinuousClock.now
    static let limits = Machine.Limits()

    /// A state to start from, reached through events from a new connection at `t0`.
    enum Start: String, CaseIterable, CustomTestStringConvertible {
        case handshaking, idle, head, body, dispatched, awaiting, streaming, streamBlocked, writing, writingLast, closed
        var testDescription: String { rawValue }
    }

    /// An event, at `t0 + 1 s` unless it is a late tick.
    enum Event: String, CaseIterable, CustomTestStringConvertible {
        case handshakeFinished, bytes, peerClosed, socketFailed, shutDown, responseReady, deferredAnswered
        case streamData, streamEnded, writeSettled, writeBlocked, tickEarly, tickLate, tickDraining
        var testDescription: String { rawValue }
    }

    /// A machine in `start`, with the stream and deferred answer it holds.
    struct Fixture {
        var machine: Machine
        let stream = HTTPBodyStream()
        let deferred = HTTPDeferredResponse()

        init(_ start: Start) {
            let t0 = ConnectionMachineTests.t0
            machine = Machine(limits: ConnectionMachineTests.limits, parser: .init(), tls: start == .handshaking, now: t0)
            switch start {
            case .handshaking, .idle: break
            case .head: _ = feed("GET / HTTP/1.1\r\nHost: x\r\n")
            case .body: _ = feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
            case .closed: _ = machine.shutDown()
            default:
                _ = feed("GET / HTTP/1.1\r\nHost: x\r\n" + (start == .writingLast ? "Connection: close\r\n\r\n" : "\r\n"))
                switch start {
                case .awaiting: _ = machine.responseReady(.later(deferred), now: t0, draining: false)
                case .streaming, .streamBlocked:
                    _ = machine.responseReady(HTTPResponse(status: 200, stream: stream), now: t0, draining: false)
                    if start == .streamBlocked { machine.writeBlocked(now: t0) }
                case .writing, .writingLast: _ = machine.responseReady(.text(200, "ok"), now: t0, draining: false)
                default: break
                }
            }
        }

        mutating func feed(_ text: String, now: ContinuousClock.Instant = ConnectionMachineTests.t0) -> [Machine.Action] {
            Array(text.utf8).withUnsafeBytes { machine.bytesRead($0, now: now) }
        }
    }

    /// What happens for every state and event that changes something; any other pair must leave
    /// the state as it was and ask for nothing (late or stray events are ignored).
    static let transitions: [String: (state: String, actions: [String])] = [
        "handshaking.handshakeFinished": ("reading.idle", []),
        "handshaking.peerClosed": ("closed", ["close(handshakeFailed(closed))"]),
        "handshaking.tickLate": ("closed", ["close(handshakeFailed(timeout))"]),
        "idle.bytes": ("responding.dispatched", ["dispatch"]),
        "idle.peerClosed": ("closed", ["close(peerClosed)"]),
        "idle.writeBlocked": ("writing.readNext", []),
        "idle.tickLate": ("closed", ["close(idle)"]),
        "idle.tickDraining": ("closed", ["close(idle)"]),
        "head.bytes": ("responding.dispatched", ["dispatch"]),
        "head.peerClosed": ("closed", ["close(peerClosed)"]),
        "head.writeBlocked": ("writing.readNext", []),
        "head.tickLate": ("writing.close(refused)", ["refused(408)", "write"]),
        "body.bytes": ("responding.dispatched", ["dispatch"]),
        "body.peerClosed": ("closed", ["close(peerClosed)"]),
        "body.writeBlocked": ("writing.readNext", []),
        "body.tickLate": ("writing.close(refused)", ["refused(408)", "write"]),
        "dispatched.responseReady": ("writing.readNext", ["write"]),
        "dispatched.peerClosed": ("closed", ["close(peerClosed)"]),
        "awaiting.deferredAnswered": ("writing.readNext", ["write"]),
        "awaiting.peerClosed": ("closed", ["abandonAnswer", "close(peerClosed)"]),
        "awaiting.socketFailed": ("closed", ["abandonAnswer", "close(socketError)"]),
        "awaiting.shutDown": ("closed", ["abandonAnswer", "close(shutdown)"]),
        "streaming.streamData": ("responding.streaming", ["write"]),
        "streaming.streamEnded": ("writing.readNext", ["write"]),
        "streaming.writeBlocked": ("responding.streaming.blocked", []),
        "streaming.peerClosed": ("closed", ["abandonStream", "close(peerClosed)"]),
        "streaming.socketFailed": ("closed", ["abandonStream", "close(socketError)"]),
        "streaming.shutDown": ("closed", ["abandonStream", "close(shutdown)"]),
        "streamBlocked.streamData": ("responding.streaming.blocked", ["write"]),
        "streamBlocked.streamEnded": ("writing.readNext", ["write"]),
        "streamBlocked.writeSettled": ("responding.streaming", []),
        "streamBlocked.tickLate": ("closed", ["abandonStream", "close(writeTimeout)"]),
        "streamBlocked.peerClosed": ("closed", ["abandonStream", "close(peerClosed)"]),
        "streamBlocked.socketFailed": ("closed", ["abandonStream", "close(socketError)"]),
        "streamBlocked.shutDown": ("closed", ["abandonStream", "close(shutdown)"]),
        "writing.writeSettled": ("reading.idle", []),
        "writing.peerClosed": ("writing.close(peerClosed)", []),
        "writing.tickLate": ("closed", ["close(writeTimeout)"]),
        "writingLast.writeSettled": ("closed", ["close(finished)"]),
        "writingLast.peerClosed": ("writing.close(peerClosed)", []),
        "writingLast.tickLate": ("closed", ["close(writeTimeout)"]),
    ]

    @Test(arguments: Start.allCases, Event.allCases)
    func everyStateAndEvent(start: Start, event: Event) {
        var fixture = Fixture(start)
        let before = Self.describe(fixture.machine.state)
        let actions = Self.apply(event, to: &fixture, start: start).map(Self.describe)
        var expected = Self.transitions["\(start.rawValue).\(event.rawValue)"] ?? (before, [])
        // Closing from any open state but the ones listed above needs no producer told.
        if expected.actions.isEmpty, start != .closed, [Event.socketFailed, .shutDown].contains(event) {
            expected = ("closed", [event == .socketFailed ? "close(socketError)" : "close(shutdown)"])
        }
        #expect(Self.describe(fixture.machine.state) == expected.state)
        #expect(actions == expected.actions)
    }

    static func apply(_ event: Event, to fixture: inout Fixture, start: Start) -> [Machine.Action] {
        let now = t0 + .seconds(1)
        switch event {
        case .handshakeFinished: fixture.machine.handshakeFinished(now: now); return []
        case .bytes:
            let rest = switch start {
            case .head: "\r\n"
            case .body: "cd"
            default: "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"
            }
            return fixture.feed(rest, now: now)
        case .peerClosed: return fixture.machine.peerClosed()
        case .socketFailed: return fixture.machine.socketFailed()
        case .shutDown: return fixture.machine.shutDown()
        case .responseReady: return fixture.machine.responseReady(.text(200, "ok"), now: now, draining: false)
        case .deferredAnswered: return fixture.machine.deferredAnswered(.text(200, "ok"), from: fixture.deferred, now: now)
        case .streamData: return fixture.machine.streamData([1, 2, 3], from: fixture.stream, unsent: 0)
        case .streamEnded: return fixture.machine.streamEnded(fixture.stream, now: now)
        case .writeSettled: return fixture.machine.writeSettled(now: now)
        case .writeBlocked: fixture.machine.writeBlocked(now: now); return []
        case .tickEarly: return fixture.machine.tick(now: now, draining: false)
        case .tickLate: return fixture.machine.tick(now: t0 + .seconds(200), draining: false)
        case .tickDraining: return fixture.machine.tick(now: now, draining: true)
        }
    }

    static func describe(_ state: Machine.State) -> String {
        switch state {
        case .handshaking: "handshaking"
        case .reading(.idle): "reading.idle"
        case .reading(.head): "reading.head"
        case .reading(.body): "reading.body"
        case .responding(.dispatched): "responding.dispatched"
        case .responding(.awaiting): "responding.awaiting"
        case .responding(.streaming(_, _, nil)): "responding.streaming"
        case .responding(.streaming(_, _, .some)): "responding.streaming.blocked"
        case .writing(_, .readNext): "writing.readNext"
        case .writing(_, .close(let reason)): "writing.close(\(reason))"
        case .closed: "closed"
        }
    }

    static func describe(_ action: Machine.Action) -> String {
        switch action {
        case .dispatch: "dispatch"
        case .write: "write"
        case .startStream: "startStream"
        case .awaitAnswer: "awaitAnswer"
        case .refused(let status): "refused(\(status))"
        case .abandonStream: "abandonStream"
        case .abandonAnswer: "abandonAnswer"
        case .close(.handshakeFailed(let failure)): "close(handshakeFailed(\(failure.rawValue)))"
        case .close(let reason): "close(\(reason))"
        }
    }

    // MARK: What each state watches and when its timer fires

    @Test(arguments: [
        (Start.handshaking, Machine.Interest.read, Duration.seconds(5)), (.idle, .read, .seconds(120)),
        (.head, .read, .seconds(5)), (.body, .read, .seconds(30)), (.dispatched, .peerClose, nil),
        (.awaiting, .peerClose, nil), (.streaming, .peerClose, nil), (.streamBlocked, .writeAndPeerClose, .seconds(30)),
        (.writing, .write, .seconds(30)), (.writingLast, .write, .seconds(30)), (.closed, Machine.Interest.none, nil),
    ] as [(Start, Machine.Interest, Duration?)])
    func watchesAndArmsPerState(start: Start, interest: Machine.Interest, timer: Duration?) {
        let fixture = Fixture(start)
        #expect(fixture.machine.interest == interest)
        #expect(fixture.machine.deadline == timer.map { Self.t0 + $0 })
    }
}
