import Testing
import TroxileiaCore

/// `Backoff`, now in the core (issue 13): doubling to the cap, jitter, reset by time and by hand.
@Suite struct BackoffTests {
    static let start = ContinuousClock.now

    @Test func doublesToTheMaximumWithoutJitterAtUnitZero() {
        var backoff = Backoff()
        let delays = (0..<8).map { step in backoff.nextDelay(now: Self.start + .seconds(step), unit: 0) }
        #expect(delays == [.milliseconds(800), .milliseconds(1_600), .milliseconds(3_200), .milliseconds(6_400),
                           .milliseconds(12_800), .milliseconds(25_600), .seconds(30), .seconds(30)])
    }

    @Test func jitterStretchesADelayByUpToItsFraction() {
        var backoff = Backoff()
        #expect(backoff.nextDelay(now: Self.start, unit: 1) == .milliseconds(1_600))
        var half = Backoff()
        #expect(half.nextDelay(now: Self.start, unit: 0.5) == .milliseconds(1_200))
    }

    @Test func aQuietPeriodOrAResetStartsAgainFromTheInitialDelay() {
        var backoff = Backoff()
        _ = backoff.nextDelay(now: Self.start, unit: 0)
        #expect(backoff.nextDelay(now: Self.start + .seconds(1), unit: 0) == .milliseconds(1_600))
        #expect(backoff.nextDelay(now: Self.start + .seconds(200), unit: 0) == .milliseconds(800), "after resetAfter")
        backoff.reset()
        #expect(backoff.nextDelay(now: Self.start + .seconds(201), unit: 0) == .milliseconds(800))
    }
}
