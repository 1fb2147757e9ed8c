import Logging
import Synchronization
import Testing
import TroxileiaCore
@testable import HTTPServerCore
@testable import Webhook

/// The admission handler with a claim store: which requests ask for a claim and how each
/// outcome answers. The store here is an in-memory one with the API server's rules
/// (create-if-absent, judged otherwise); the Lease-backed one is tested against the stand-in.
@Suite(.timeLimit(.minutes(1))) struct PortClaimGateTests {
    /// Claims in memory, with a scripted failure.
    final class MemoryClaims: PortClaimStore {
        let claims = Mutex<[TapPort: PortClaim]>([:])
        let calls = Mutex(0)
        let failing = Mutex(false)
        let now = KubeTime(secondsSinceEpoch: 1_000_000)

        func claim(_ port: TapPort, for node: String,
                   judge: @escaping @Sendable (PortClaim) -> PortClaim.Verdict) async -> PortClaimOutcome {
            calls.withLock { $0 += 1 }
            if failing.withLock({ $0 }) { return .failed(cause: "the API answered 500 InternalError: injected") }
            return claims.withLock { claims in
                guard let existing = claims[port] else {
                    claims[port] = PortClaim(port: port, holder: node, takenAt: now, version: "1")
                    return .taken
                }
                switch judge(existing) {
                case .held(let holder, let carried): return .held(by: holder, carried: carried)
                case .refresh: return .refreshed
                case .takeOver:
                    claims[port] = PortClaim(port: port, holder: node, takenAt: now, version: "2")
                    return .takenOver(previous: existing.holder)
                }
            }
        }
    }

    private let store = MemoryClaims()
    private let inventory = TestInventory([NodeRecord(name: "sensor-01", labels: ["port": "1_1_x1"])])

    private func handler(onFailure: PortClaimGate.FailurePolicy = .deny, mode: AdmissionPolicy.Mode = .enforce,
                         reservations: PortReservations = PortReservations(), metrics: WebhookMetrics = WebhookMetrics()) -> AdmissionHandler {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var configuration = PortClaimGate.Configuration(ttl: .seconds(10), onFailure: onFailure)
        let now = store.now
        configuration.wallClock = { now }
        let gate = PortClaimGate(store: store, inventory: inventory, configuration: configuration, metrics: metrics, logger: logger)
        return AdmissionHandler(policy: AdmissionPolicy(mode: mode), inventory: inventory, reservations: reservations,
                                claims: gate, metrics: metrics, logger: logger)
    }

    /// The answer, waiting for a deferred one.
    private func answer(_ handler: AdmissionHandler, _ body: [UInt8]) async -> [String: Any] {
        await answer(handler.respond(toBody: body))
    }

    private func answer(_ response: HTTPResponse) async -> [String: Any] {
        guard let deferred = response.deferred else { return ReviewBuilder.response(response.body) ?? [:] }
        let final = await withCheckedContinuation { continuation in deferred.attach { continuation.resume(returning: $0) } }
        return ReviewBuilder.response(final.body) ?? [:]
    }

    private func message(_ response: [String: Any]) -> String {
        (response["status"] as? [String: Any])?["message"] as? String ?? ""
    }

    @Test func aNewPortTakesItsClaimBeforeTheAnswer() async {
        let handler = handler()
        let response = handler.respond(toBody: ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))
        #expect(response.deferred != nil, "answered off the event loop")
        #expect(await answer(response)["allowed"] as? Bool == true)
        #expect(store.claims.withLock { $0.values.map(\.holder) } == ["a"])
    }

    @Test(arguments: [
        (["sensor": "true", "port": "1_1_x9"], ["sensor": "false", "port": "1_1_x9"]),   // sensor flips, port kept
        (["port": "1_1_x9"], [:]),                                                         // port removed
        (["port": "1_1_x9"], ["port": "1_1_x9", "zone": "b"]),                             // unrelated label
    ])
    func requestsThatGiveNoNewPortAskForNoClaim(old: [String: String], new: [String: String]) async {
        let handler = handler()
        let response = handler.respond(toBody: ReviewBuilder.review(name: "a", old: old, new: new))
        #expect(response.deferred == nil, "answered at once")
        #expect(store.calls.withLock { $0 } == 0)
    }

    @Test func aDryRunTakesNoClaim() async {
        let handler = handler()
        let response = handler.respond(toBody: ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"], dryRun: true))
        #expect(response.deferred == nil)
        #expect(ReviewBuilder.response(response.body)?["allowed"] as? Bool == true)
        #expect(store.calls.withLock { $0 } == 0)
    }

    @Test func anotherReplicasClaimDeniesNamingItsNodeAndFreesTheReservation() async {
        let reservations = PortReservations()
        let handler = handler(reservations: reservations)
        let port = TapPort(box: 1, slot: 1, speed: .tenGigabit, number: 9)!
        store.claims.withLock { $0[port] = PortClaim(port: port, holder: "b", takenAt: store.now, version: "1") }
        let response = await answer(handler, ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))
        #expect(response["allowed"] as? Bool == false)
        #expect(message(response).contains("tap port 1_1_x9 was just admitted for node b"))
        #expect((response["status"] as? [String: Any])?["reason"] as? String == "Forbidden")
        #expect(reservations.count == 0, "the refused request holds no reservation")
    }

    @Test func aClaimOfANodeThatCarriesThePortDeniesAsADuplicate() async {
        inventory.set([NodeRecord(name: "b", labels: ["port": "1_1_x9"])])
        let port = TapPort(box: 1, slot: 1, speed: .tenGigabit, number: 9)!
        store.claims.withLock { $0[port] = PortClaim(port: port, holder: "b", takenAt: nil, version: "1") }
        // The handler's own index shows b too, so the policy denies first; the gate's verdict is checked directly.
        let gate = PortClaimGate(store: store, inventory: inventory, configuration: .init(), metrics: WebhookMetrics(),
                                 logger: Logger(label: "test"))
        let decision = await gate.confirm(.allowed(claiming: port), port: port, node: "a", policy: AdmissionPolicy())
        #expect(decision.denial?.message.contains("tap port 1_1_x9 is already labelled on node b") == true)
    }

    @Test func aStaleClaimIsTakenOver() async {
        let port = TapPort(box: 1, slot: 1, speed: .tenGigabit, number: 9)!
        store.claims.withLock { $0[port] = PortClaim(port: port, holder: "b", takenAt: store.now.adding(seconds: -11), version: "1") }
        #expect(await answer(handler(), ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))["allowed"] as? Bool == true)
        #expect(store.claims.withLock { $0[port]?.holder } == "a")
    }

    @Test func anUnrecordableClaimDeniesAskingToRetryByDefault() async {
        store.failing.withLock { $0 = true }
        let reservations = PortReservations()
        let response = await answer(handler(reservations: reservations), ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))
        #expect(response["allowed"] as? Bool == false)
        #expect(message(response).contains("could not be recorded in the API server"))
        #expect(message(response).contains("retry in a few seconds"))
        #expect(reservations.count == 0)
    }

    @Test func anUnrecordableClaimIsAllowedOnTheReservationWithClaimFailureAllow() async throws {
        store.failing.withLock { $0 = true }
        let reservations = PortReservations()
        let metrics = WebhookMetrics()
        let handler = handler(onFailure: .allow, reservations: reservations, metrics: metrics)
        #expect(await answer(handler, ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))["allowed"] as? Bool == true)
        #expect(reservations.count == 1, "this replica still holds the port against other nodes")
        let rival = await answer(handler, ReviewBuilder.review(name: "b", new: ["port": "1_1_x9"]))
        #expect(rival["allowed"] as? Bool == false)
        var buffer: [UInt8] = []
        metrics.registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains("troxileia_webhook_port_claim_fallbacks_total 1"))
        #expect(text.contains(#"troxileia_webhook_port_claims_total{result="failed"} 1"#))
    }

    @Test func aDeferredAnswerIsCountedWithTheStatusItWasSent() async {
        let metrics = WebhookMetrics()
        let routes = WebhookRoutes(admission: handler(metrics: metrics), metrics: metrics)
        let request = HTTPRequest(method: "POST", target: "/validate", headers: HTTPHeaders([("Content-Type", "application/json")]),
                                  body: ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))
        let response = routes.respond(to: request)
        #expect(await answer(response)["allowed"] as? Bool == true)
        var buffer: [UInt8] = []
        metrics.registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains(#"troxileia_webhook_requests_total{route="/validate",code="200"} 1"#), "\(text)")
        #expect(!text.contains(#"code="500""#))
        #expect(text.contains("troxileia_webhook_requests_in_flight 0"))
    }

    @Test func warnModeTurnsAClaimConflictIntoAWarning() async {
        let port = TapPort(box: 1, slot: 1, speed: .tenGigabit, number: 9)!
        store.claims.withLock { $0[port] = PortClaim(port: port, holder: "b", takenAt: store.now, version: "1") }
        let response = await answer(handler(mode: .warn), ReviewBuilder.review(name: "a", new: ["port": "1_1_x9"]))
        #expect(response["allowed"] as? Bool == true)
        #expect((response["warnings"] as? [String])?.first?.hasPrefix("would be denied in enforce mode:") == true)
    }
}
