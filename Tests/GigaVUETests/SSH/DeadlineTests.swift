@testable import GigaVUE
import Testing

@Suite struct DeadlineTests {
    @Test func roundsRemainingTimeUpAndNeverBelowZero() {
        let now = ContinuousClock.now
        let deadline = Deadline("log in", budget: .microseconds(1500), now: now)
        #expect(deadline.remainingMilliseconds(now: now) == 2)
        #expect(deadline.remainingMilliseconds(now: now + .seconds(5)) == 0)
    }

    @Test func cappingKeepsTheEarlierDeadlineAndItsName() {
        let now = ContinuousClock.now
        let stage = Deadline("connect", budget: .seconds(10), now: now)
        let push = Deadline("push to the tap", budget: .seconds(2), now: now)
        #expect(stage.capped(by: push).error == .timedOut(stage: "push to the tap", after: .seconds(2)))
        #expect(push.capped(by: stage).stage == "push to the tap")
        #expect(stage.renamed("x").error == .timedOut(stage: "x", after: .seconds(10)))
    }
}
