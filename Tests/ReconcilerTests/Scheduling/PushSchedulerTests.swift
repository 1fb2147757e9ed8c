import Reconciler
import Testing

/// The push worker's timing on a test clock (`SchedulerDriver`).
@Suite struct PushSchedulerTests {
    typealias Push = SchedulerDriver.Push

    static func configuration(debounce: Duration = .seconds(1), max: Duration = .seconds(10)) -> PushScheduler.Configuration {
        var configuration = PushScheduler.Configuration()
        configuration.debounce = debounce
        configuration.debounceMax = max
        return configuration
    }

    /// Active, with the initial push done at 0 s + 200 ms.
    static func active(_ configuration: PushScheduler.Configuration = .init()) -> SchedulerDriver {
        var driver = SchedulerDriver(configuration)
        driver.activate()
        driver.advance(to: .milliseconds(200))
        return driver
    }

    @Test func defaultsAreTheDesignTable() {
        let configuration = PushScheduler.Configuration()
        #expect(configuration.debounce == .seconds(1) && configuration.debounceMax == .seconds(10))
        #expect(configuration.resyncInterval == .seconds(300) && configuration.resyncJitter == 0.1)
        #expect(configuration.retry.initial == .seconds(1) && configuration.retry.maximum == .seconds(300))
    }

    @Test(arguments: [(false, false), (true, false), (false, true)])
    func nothingBeforeSyncedAndLeader(synced: Bool, leader: Bool) {
        var driver = SchedulerDriver()
        if synced { driver.sync() }
        if leader { driver.lead(true) }
        for _ in 0..<5 {
            driver.change()
            driver.advance(by: .seconds(1))
        }
        driver.advance(to: .seconds(3600))
        #expect(driver.pushes.isEmpty && !driver.machine.isActive)
    }

    @Test(arguments: [true, false])
    func becomingActiveChecksAtOnce(syncFirst: Bool) {
        var driver = SchedulerDriver()
        driver.advance(to: .seconds(5))
        if syncFirst { driver.sync(); driver.lead(true) } else { driver.lead(true); driver.sync() }
        #expect(driver.pushes == [Push(at: .seconds(5), reason: .initial)])
    }

    @Test func aBurstBecomesOnePush() {
        var driver = Self.active(Self.configuration(debounce: .seconds(3)))
        for index in 0..<50 {
            driver.advance(to: .seconds(1) + .milliseconds(100 * index))
            driver.change()
        }
        driver.advance(to: .seconds(60))
        // Last change at 5.9 s, quiet for 3 s.
        #expect(driver.pushes.dropFirst() == [Push(at: .milliseconds(8900), reason: .change)])
    }

    @Test func aChangeWaitsForTheQuietPeriod() {
        var driver = Self.active()
        driver.advance(to: .seconds(2))
        driver.change()
        driver.advance(to: .milliseconds(2999))
        #expect(driver.pushes.count == 1)
        driver.advance(to: .seconds(3))
        #expect(driver.pushes.last == Push(at: .seconds(3), reason: .change))
    }

    @Test func aSteadyTrickleStillPushesWithinTheCap() {
        var driver = Self.active()
        var changes: [Duration] = []
        for index in 0..<120 {
            driver.advance(to: .seconds(1) + .milliseconds(500 * index))
            changes.append(driver.clock)
            driver.change()
        }
        driver.advance(to: .seconds(90))
        let starts = driver.pushes.dropFirst().map(\.at)
        #expect(starts.count >= 5)
        for change in changes {
            let next = starts.first { $0 >= change }
            #expect(next.map { $0 - change <= .seconds(10) } == true, "change at \(change) waited for \(String(describing: next))")
        }
    }

    @Test func changesDuringAPushCauseExactlyOneMore() {
        var driver = SchedulerDriver(pushDuration: .seconds(5))
        driver.activate()
        for second in 1...3 {
            driver.advance(to: .seconds(second))
            driver.change()
        }
        driver.advance(to: .seconds(60))
        #expect(driver.pushes == [Push(at: .zero, reason: .initial), Push(at: .seconds(5), reason: .change)])
    }

    @Test(arguments: [0.0, 0.5, 0.999])
    func failuresBackOffDoublingToFiveMinutesAndSuccessResets(jitter: Double) {
        var driver = SchedulerDriver(pushDuration: .zero)
        driver.jitter = jitter
        driver.outcomes = Array(repeating: .failed, count: 12)
        driver.activate()
        driver.advance(to: .seconds(3000))
        let retries = driver.pushes.prefix(13)
        #expect(retries.dropFirst().allSatisfy { $0.reason == .retry })
        let gaps = zip(retries, retries.dropFirst()).map { $1.at - $0.at }
        let bases: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
        for (gap, base) in zip(gaps, bases) {
            let most = Duration.seconds(min(base * (1 + 0.1 * jitter), 300)) + .microseconds(1)
            #expect(gap >= .seconds(base) - .microseconds(1) && gap <= most, "gap \(gap) for \(base) s")
        }
        // After the success, the next failure starts again at 1 s.
        driver.outcomes = [.failed]
        driver.change()
        let failedAt = driver.clock + .seconds(1)
        driver.advance(by: .seconds(10))
        #expect(driver.pushes.suffix(2).map(\.reason) == [.change, .retry])
        #expect(driver.pushes.last.map { $0.at - failedAt <= .milliseconds(1100) } == true)
    }

    @Test func changesDuringABackoffJoinTheRetry() {
        var driver = SchedulerDriver(pushDuration: .zero)
        driver.jitter = 0
        driver.outcomes = [.failed, .failed, .failed, .failed]
        driver.activate()
        driver.advance(to: .seconds(7))  // failures at 0, 1, 3, 7: the next retry at 15 s
        driver.change()
        driver.advance(to: .seconds(14))
        #expect(driver.pushes.count == 4)
        driver.advance(to: .seconds(15))
        #expect(driver.pushes.last == Push(at: .seconds(15), reason: .retry))
    }

    @Test(arguments: [(0.5, 300.0), (0.0, 270.0), (1.0, 330.0)])
    func resyncComesEveryIntervalJittered(jitter: Double, seconds: Double) {
        var driver = SchedulerDriver(pushDuration: .zero)
        driver.jitter = jitter
        driver.activate()
        driver.advance(to: .seconds(seconds * 3) + .milliseconds(1))
        #expect(driver.pushes.map(\.reason) == [.initial, .resync, .resync, .resync])
        for (push, index) in zip(driver.pushes, 0...) {
            let expected = Duration.seconds(seconds * Double(index))
            #expect(push.at > expected - .microseconds(1) && push.at < expected + .microseconds(1), "\(push)")
        }
    }

    @Test func aPushPostponesTheResync() {
        var driver = SchedulerDriver(pushDuration: .zero)
        driver.activate()
        driver.advance(to: .seconds(100))
        driver.change()
        driver.advance(to: .seconds(400))
        #expect(driver.pushes.map(\.reason) == [.initial, .change])
        driver.advance(to: .seconds(401))
        #expect(driver.pushes.last == Push(at: .seconds(401), reason: .resync))
    }

    @Test func losingLeadershipDropsPendingWork() {
        var driver = Self.active()
        driver.change()
        driver.lead(false)
        driver.advance(to: .seconds(3600))
        #expect(driver.pushes.count == 1 && driver.abandoned == 0)
    }

    @Test func losingLeadershipAbandonsThePushAndNeverOverlapsAfterRegaining() {
        var driver = SchedulerDriver(pushDuration: .seconds(30))
        driver.activate()
        driver.advance(to: .seconds(1))
        driver.lead(false)
        #expect(driver.abandoned == 1 && driver.machine.isPushing)
        driver.advance(to: .seconds(2))
        driver.lead(true)
        driver.change()
        #expect(driver.pushes.count == 1)
        driver.advance(to: .seconds(31))
        #expect(driver.pushes == [Push(at: .zero, reason: .initial), Push(at: .seconds(30), reason: .initial)])
    }

    @Test func aFinishWithoutAPushIsHarmless() {
        var machine = PushScheduler()
        #expect(machine.pushFinished(.failed, now: .now, jitter: 0) == .idle)
    }
}
