import Testing
@testable import HTTPServerCore

/// Issue 12, fault 4: an event queued for a closed connection never reaches a new connection
/// that got the same descriptor number.
@Suite struct EPollRegistrationsTests {
    @Test func aStaleEventForAReusedDescriptorIsDropped() {
        var table = EPollRegistrations<String>()
        let old = table.add(7, handler: "old connection")
        table.remove(7)
        let new = table.add(7, handler: "new connection")
        #expect(old.descriptor == new.descriptor)
        #expect(table.handler(for: old) == nil, "the old connection's EPOLLERR goes nowhere")
        #expect(table.handler(for: new) == "new connection")
    }

    @Test(arguments: [Int32(0), 7, 65_535, Int32.max])
    func userDataRoundTripsThroughEpollsSixtyFourBits(descriptor: Int32) {
        let data = EPollUserData(descriptor: descriptor, registrationID: 0xDEAD_BEEF)
        #expect(EPollUserData(packed: data.packed) == data)
    }

    @Test func idsAreNeverZeroSoTheWakeupCannotBeMistaken() {
        var table = EPollRegistrations<Int>()
        for index in 0..<1_000 { #expect(table.add(Int32(index % 3), handler: index).registrationID != 0) }
        #expect(table.count == 3)
    }
}
