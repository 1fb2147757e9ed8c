import Glibc
import Testing
@testable import troxileia

@Suite struct JSONLogHandlerTests {
    @Test func timestampIsRFC3339InUTCWithMilliseconds() {
        // 2026-03-01T02:04:05Z = 1772330645 s since the epoch; 7.9 ms in, shown as .007 (cut, as %03d of ms did).
        #expect(JSONLogHandler.timestamp(timespec(tv_sec: 1_772_330_645, tv_nsec: 7_900_000)) == "2026-03-01T02:04:05.007Z")
        #expect(JSONLogHandler.timestamp(timespec(tv_sec: 0, tv_nsec: 999_999_999)) == "1970-01-01T00:00:00.999Z")
        #expect(JSONLogHandler.timestamp(timespec(tv_sec: 253_402_300_799, tv_nsec: 0)) == "9999-12-31T23:59:59.000Z")
    }

    @Test func wallClockTimestampHasTheFixedShape() {
        let text = JSONLogHandler.timestamp()
        #expect(text.count == 24)
        #expect(text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(text)")
    }

    @Test func paddingMatchesPrintfZeroPadding() {
        #expect(JSONLogHandler.padded(7, 3) == "007")
        #expect(JSONLogHandler.padded(123, 2) == "123")
        #expect(JSONLogHandler.padded(0, 4) == "0000")
    }
}
