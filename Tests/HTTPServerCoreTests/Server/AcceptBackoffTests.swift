import Glibc
import Testing
@testable import HTTPServerCore

/// Issue 12, fault 1: an accept that fails takes the listener out of the loop for a second, is
/// reported once per episode, and the listener comes back by itself.
@Suite struct AcceptBackoffTests {
    let t0 = ContinuousClock.now

    @Test(arguments: [EMFILE, ENFILE, ENOBUFS, ENOMEM])
    func pausesOnceThenComesBackByItself(code: Int32) {
        var backoff = AcceptBackoff()
        #expect(backoff.acceptFailed(code: code, now: t0) == .pause(episodeStarted: true))
        #expect(backoff.acceptFailed(code: code, now: t0) == nil, "already paused")
        #expect(backoff.tick(now: t0 + .milliseconds(750)) == nil, "still paused")
        #expect(backoff.tick(now: t0 + .seconds(1)) == .resume)
        // Still out of descriptors: pause again, but it is the same episode (no new log line).
        #expect(backoff.acceptFailed(code: code, now: t0 + .seconds(1)) == .pause(episodeStarted: false))
        #expect(backoff.tick(now: t0 + .seconds(2)) == .resume)
        #expect(backoff.accepted() == .episodeEnded)
        #expect(backoff.accepted() == nil)
        #expect(backoff.acceptFailed(code: code, now: t0 + .seconds(3)) == .pause(episodeStarted: true), "a new episode")
    }

    @Test func acceptingWithoutFailuresNeedsNothing() {
        var backoff = AcceptBackoff()
        #expect(backoff.accepted() == nil)
        #expect(backoff.tick(now: t0 + .seconds(10)) == nil)
    }
}
