import Glibc
import Testing
@testable import HTTPServerCore

/// Issue 12, fault 1: an accept that fails takes the listener out of the loop for a second, and
/// the listener comes back by itself.
@Suite struct AcceptBackoffTests {
    let t0 = ContinuousClock.now

    @Test(arguments: [EMFILE, ENFILE, ENOBUFS, ENOMEM])
    func pausesThenComesBackByItself(code: Int32) {
        var backoff = AcceptBackoff()
        #expect(backoff.acceptFailed(code: code, now: t0) == .pause)
        #expect(backoff.acceptFailed(code: code, now: t0) == nil, "already paused")
        #expect(backoff.tick(now: t0 + .milliseconds(750)) == nil, "still paused")
        #expect(backoff.tick(now: t0 + .seconds(1)) == .resume)
        #expect(backoff.tick(now: t0 + .seconds(1.25)) == nil, "watched again")
        #expect(backoff.acceptFailed(code: code, now: t0 + .seconds(2)) == .pause, "still out of descriptors: pause again")
        #expect(backoff.state == .paused(until: t0 + .seconds(3)))
    }

    @Test func acceptingWithoutFailuresNeedsNothing() {
        var backoff = AcceptBackoff()
        #expect(backoff.tick(now: t0 + .seconds(10)) == nil)
        #expect(backoff.state == .accepting)
    }
}
