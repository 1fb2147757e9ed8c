import Testing
import TroxileiaCore
@testable import KubeAPI

/// The list/watch cycle fed events on a test clock: no sockets, no sleeping.
@Suite struct ReflectorMachineTests {
    private let start = ContinuousClock.now

    @Test func listsAllPagesThenWatchesFromTheListVersion() {
        var machine = ReflectorMachine()
        #expect(machine.start() == .list(continueToken: nil))
        #expect(machine.listPageArrived(continueToken: "p2", resourceVersion: "10") == .list(continueToken: "p2"))
        #expect(!machine.hasListed)
        #expect(machine.listPageArrived(continueToken: nil, resourceVersion: "10") == .watch(resourceVersion: "10"))
        #expect(machine.hasListed)
    }

    @Test func resumesFromTheLastEventWhenAWatchEnds() {
        var machine = ReflectorMachine()
        _ = machine.start()
        _ = machine.listPageArrived(continueToken: nil, resourceVersion: "10")
        machine.eventReceived(resourceVersion: "12")
        machine.eventReceived(resourceVersion: nil)
        machine.eventReceived(resourceVersion: "15")
        #expect(machine.watchEnded() == .watch(resourceVersion: "15"))
    }

    @Test func relistsOn410FromAWatchOrAnExpiredContinueToken() {
        var machine = ReflectorMachine()
        _ = machine.start()
        _ = machine.listPageArrived(continueToken: nil, resourceVersion: "10")
        #expect(machine.watchExpired(now: start, jitter: 0) == .list(continueToken: nil))
        #expect(machine.listPageArrived(continueToken: "old", resourceVersion: "20") == .list(continueToken: "old"))
        let gone = KubeStatus(code: 410, reason: "Expired", message: "")
        #expect(machine.listFailed(gone, now: start, jitter: 0) == .list(continueToken: nil))
        #expect(machine.watchFailed(gone, now: start, jitter: 0) == .list(continueToken: nil))
    }

    @Test func backsOffExponentiallyThenResumesTheWatch() {
        var machine = ReflectorMachine()
        _ = machine.start()
        _ = machine.listPageArrived(continueToken: nil, resourceVersion: "10")
        var now = start
        var delays: [Duration] = []
        for _ in 0..<8 {
            guard case .sleep(let until) = machine.watchFailed(nil, now: now, jitter: 0) else {
                Issue.record("no sleep")
                return
            }
            delays.append(until - now)
            #expect(machine.wokeUp() == .watch(resourceVersion: "10"))
            now = until
        }
        #expect(delays == [.milliseconds(800), .milliseconds(1600), .milliseconds(3200), .milliseconds(6400),
                           .milliseconds(12_800), .milliseconds(25_600), .seconds(30), .seconds(30)])
    }

    @Test func resetsTheBackoffAfterAHealthyPeriodAndHonoursRetryAfter() {
        var machine = ReflectorMachine()
        _ = machine.start()
        _ = machine.listPageArrived(continueToken: nil, resourceVersion: "10")
        _ = machine.watchFailed(nil, now: start, jitter: 0)
        _ = machine.wokeUp()
        _ = machine.watchFailed(nil, now: start.advanced(by: .seconds(1)), jitter: 0)
        _ = machine.wokeUp()
        let later = start.advanced(by: .seconds(300))
        #expect(machine.watchFailed(nil, now: later, jitter: 0) == .sleep(until: later.advanced(by: .milliseconds(800))))
        _ = machine.wokeUp()
        let throttled = KubeStatus(code: 429, reason: "TooManyRequests", message: "", retryAfter: .seconds(20))
        let now = later.advanced(by: .seconds(1))
        #expect(machine.watchFailed(throttled, now: now, jitter: 0) == .sleep(until: now.advanced(by: .seconds(20))))
    }

    @Test func jitterStretchesADelayByUpToItself() {
        var backoff = Backoff()
        #expect(backoff.nextDelay(now: start, unit: 0.5) == .milliseconds(1200))
        #expect(backoff.nextDelay(now: start, unit: 0.999_999) < .milliseconds(3200))
    }

    @Test func aFailedFirstListIsRetriedAsAList() {
        var machine = ReflectorMachine()
        _ = machine.start()
        guard case .sleep = machine.listFailed(nil, now: start, jitter: 0) else {
            Issue.record("no backoff")
            return
        }
        #expect(machine.wokeUp() == .list(continueToken: nil))
        _ = machine.start()
        #expect(machine.watchFailed(nil, now: start, jitter: 0) == .sleep(until: start.advanced(by: .milliseconds(1600))))
        #expect(machine.wokeUp() == .list(continueToken: nil), "nothing listed yet: no version to watch from")
    }

    // MARK: Watch-list

    @Test func syncsByWatchListThenWatchesFromTheEndBookmark() {
        var machine = ReflectorMachine(watchList: true)
        #expect(machine.start() == .watchList)
        machine.eventReceived(resourceVersion: "3")
        #expect(machine.resourceVersion == nil, "an initial event's version is no resume point")
        machine.initialEventsEnded(resourceVersion: "20")
        #expect(machine.hasListed)
        #expect(machine.watchListSupport == .supported)
        machine.eventReceived(resourceVersion: "21")
        #expect(machine.watchEnded() == .watch(resourceVersion: "21"))
        #expect(machine.watchExpired(now: start, jitter: 0) == .watchList, "a 410 resyncs by watch-list at once")
    }

    @Test(arguments: [400, 422])
    func aRefusedWatchListFallsBackToListsForGood(code: Int) {
        var machine = ReflectorMachine(watchList: true)
        _ = machine.start()
        let refused = KubeStatus(code: code, reason: code == 422 ? "Invalid" : "BadRequest", message: "sendInitialEvents is forbidden")
        #expect(machine.watchFailed(refused, now: start, jitter: 0) == .list(continueToken: nil))
        guard case .unsupported = machine.watchListSupport else {
            Issue.record("support not remembered")
            return
        }
        _ = machine.listPageArrived(continueToken: nil, resourceVersion: "10")
        #expect(machine.watchExpired(now: start, jitter: 0) == .list(continueToken: nil))
    }

    @Test func aStreamEndingOrIgnoredBeforeTheEndBookmarkFallsBackToLists() {
        var ended = ReflectorMachine(watchList: true)
        _ = ended.start()
        #expect(ended.watchEnded() == .list(continueToken: nil))
        var ignored = ReflectorMachine(watchList: true)
        _ = ignored.start()
        #expect(ignored.watchListIgnored(reason: "MODIFIED before the end") == .list(continueToken: nil))
        #expect(ignored.watchListSupport == .unsupported(reason: "MODIFIED before the end"))
    }

    @Test func otherFailuresDuringTheInitialEventsBackOffThenRetryTheWatchList() {
        var machine = ReflectorMachine(watchList: true)
        _ = machine.start()
        let unavailable = KubeStatus(code: 503, reason: "ServiceUnavailable", message: "")
        #expect(machine.watchFailed(unavailable, now: start, jitter: 0) == .sleep(until: start.advanced(by: .milliseconds(800))))
        #expect(machine.wokeUp() == .watchList)
        #expect(machine.watchExpired(now: start, jitter: 0) == .sleep(until: start.advanced(by: .milliseconds(1600))))
        #expect(machine.wokeUp() == .watchList)
        machine.initialEventsEnded(resourceVersion: "9")
        #expect(machine.watchExpired(now: start, jitter: 0) == .watchList, "a 410 after the sync resyncs at once")
        let gone = KubeStatus(code: 410, reason: "Expired", message: "")
        #expect(machine.watchFailed(gone, now: start, jitter: 0) == .sleep(until: start.advanced(by: .milliseconds(800))),
                "the count of failures in a row started again")
        #expect(machine.wokeUp() == .watchList)
        #expect(machine.watchListSupport == .supported)
    }

    @Test func threeWatchListsFailingInARowMakeThisSyncAListButNotTheNext() {
        var machine = ReflectorMachine(watchList: true)
        _ = machine.start()
        for _ in 1..<ReflectorMachine.failedWatchListsBeforeFallback {
            guard case .sleep = machine.watchFailed(nil, now: start, jitter: 0) else {
                Issue.record("no backoff")
                return
            }
            #expect(machine.wokeUp() == .watchList)
        }
        guard case .sleep = machine.watchFailed(nil, now: start, jitter: 0) else {
            Issue.record("no backoff")
            return
        }
        #expect(machine.wokeUp() == .list(continueToken: nil))
        #expect(machine.watchListSupport == .untried)
        _ = machine.listPageArrived(continueToken: nil, resourceVersion: "10")
        #expect(machine.watchExpired(now: start, jitter: 0) == .watchList, "the next sync tries a watch-list again")
    }

    @Test func aWatchFailureAfterTheSyncResumesFromTheLastVersion() {
        var machine = ReflectorMachine(watchList: true)
        _ = machine.start()
        machine.initialEventsEnded(resourceVersion: "20")
        #expect(machine.watchFailed(nil, now: start, jitter: 0) == .sleep(until: start.advanced(by: .milliseconds(800))))
        #expect(machine.wokeUp() == .watch(resourceVersion: "20"))
    }
}
