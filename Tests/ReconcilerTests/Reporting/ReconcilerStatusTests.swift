import Reconciler
import Testing
import TroxileiaCore

@Suite struct ReconcilerStatusTests {
    @Test func roundTripsThroughConfigMapData() throws {
        var status = ReconcilerStatus()
        status.desired = try ["1/1/x1", "1/1/x2", "1/1/x3", "1/2/x7"].map { name throws(TapPortSyntaxError) in try TapPort(cli: name) }
        status.applied = []
        status.excluded = ["n2: annotation troxileia.io/exclude", "n3: pod sensors/s3 not Ready for 6m (timeout 5m)"]
        status.leader = "replica-a"
        status.lastPushAt = KubeTime("2026-11-23T15:00:00Z")
        status.lastPushResult = "pushed"
        status.lastError = ""
        status.rejected = ["n9: tap port 1/3/x1 left out: the tap has no such port; fix the node's port label"]
        status.tapPorts = try ["1/1/x1", "1/1/x2"].map { name throws(TapPortSyntaxError) in try TapPort(cli: name) }
        let data = Dictionary(status.data, uniquingKeysWith: { $1 })
        #expect(data["desired"] == "1/1/x1,1/1/x2,1/1/x3,1/2/x7")
        #expect(data["tapPorts"] == "1/1/x1,1/1/x2")
        #expect(data["applied"] == "none")
        #expect(ReconcilerStatus(data: data) == status)
    }

    @Test func anUnknownAppliedSetStaysUnknown() {
        var status = ReconcilerStatus()
        status.applied = nil
        let data = Dictionary(status.data, uniquingKeysWith: { $1 })
        #expect(data["applied"] == "unknown")
        #expect(ReconcilerStatus(data: data).applied == nil)
        #expect(data["tapPorts"] == "unknown" && ReconcilerStatus(data: data).tapPorts == nil)
    }

    @Test(arguments: [["desired": "garbage", "applied": "1/1/x9..x1", "lastPushAt": "yesterday"], [:]])
    func readsAnythingWithoutFailing(data: [String: String]) {
        let status = ReconcilerStatus(data: data)
        #expect(status.desired.isEmpty && status.applied == nil && status.lastPushAt == nil)
    }
}
