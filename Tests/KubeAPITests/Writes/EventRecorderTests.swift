import Foundation
import Testing
import TroxileiaCore
@testable import KubeAPI

@Suite struct EventRecorderTests {
    /// The body matches, field for field, the Event kube-apiserver accepted in the capture.
    @Test func encodesTheEventTheAPIAccepts() throws {
        let pending = EventRecorder.Pending(
            type: .warning, reason: "DuplicateTapPort",
            note: "tap port 1_1_x3 is labelled on nodes sensor-02 and sensor-04; neither port is pushed to the GigaStream",
            action: "Reconcile",
            regarding: .node("sensor-02", uid: "ee0ee646-4c96-42b4-8a95-514c4856612f"),
            related: .node("sensor-04", uid: "db0e6082-4669-415c-9ec0-5a99727bac2e"),
            time: try #require(KubeTime("2026-11-23T11:07:59.165145Z")))
        let body = EventEncoding.event(pending, name: "sensor-02.18eaa7f6a0fb4c97", namespace: "default",
                                       configuration: .init(instance: "troxileia-6f8b9c7d5-x2kqp"))
        let ours = try JSONSerialization.jsonObject(with: Data(body)) as? NSDictionary
        let captured = try JSONSerialization.jsonObject(with: Data(try KubeFixtures.bytes("events/01-eventsv1-create.request-body.json"))) as? NSDictionary
        #expect(ours == captured)
    }

    @Test func aggregatesRepeatsWithinTheWindowIntoASeries() {
        var series = EventSeries(window: .seconds(600))
        let key = EventSeries.Key(regarding: .node("a"), type: "Warning", reason: "R", note: "n")
        let start = ContinuousClock.now
        #expect(series.repeated(key, now: start) == nil)
        series.created(key, name: "a.1", now: start)
        #expect(series.repeated(key, now: start.advanced(by: .seconds(5)))! == ("a.1", 2))
        #expect(series.repeated(key, now: start.advanced(by: .seconds(6)))! == ("a.1", 3))
        let other = EventSeries.Key(regarding: .node("a"), type: "Warning", reason: "R", note: "different")
        #expect(series.repeated(other, now: start.advanced(by: .seconds(7))) == nil)
        #expect(series.repeated(key, now: start.advanced(by: .seconds(601))) == nil, "a new event after the window")
    }

    @Test func cutsLongNotesAtACharacterBoundary() {
        let note = String(repeating: "é", count: 600)
        let cut = EventRecorder.truncated(note, toBytes: 1024)
        #expect(cut.utf8.count == 1024 && cut.allSatisfy { $0 == "é" })
        #expect(EventRecorder.truncated("short", toBytes: 1024) == "short")
    }
}
