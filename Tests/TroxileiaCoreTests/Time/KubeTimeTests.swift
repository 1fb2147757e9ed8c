import Testing
import TroxileiaCore

@Suite struct KubeTimeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0), ("2026-11-23T10:58:26Z", 1_795_431_506.0),
        ("2026-11-23T10:58:26.181020Z", 1_795_431_506.181020), ("2026-11-23T11:58:26+01:00", 1_795_431_506.0),
        ("2000-02-29T23:59:59Z", 951_868_799.0), ("2026-11-23t10:58:26z", 1_795_431_506.0),
    ])
    func parsesRFC3339(text: String, seconds: Double) throws {
        let time = try #require(KubeTime(text))
        #expect(abs(time.secondsSinceEpoch - seconds) < 0.000_001)
    }

    @Test(arguments: ["", "2026-11-23", "2026-11-23T10:58:26", "2026-13-01T00:00:00Z", "2026-11-23T10:58:26.Z",
                      "2026-11-23T10:58:26+0100", "x026-11-23T10:58:26Z", "2026-11-23T10:58:26Zjunk"])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(KubeTime(text) == nil)
    }

    @Test func formatsMicroTimeWithSixDigitsAndTimeWithNone() throws {
        let time = try #require(KubeTime("2026-11-23T10:58:26.18102Z"))
        #expect(time.microTime == "2026-11-23T10:58:26.181020Z")
        #expect(time.description == "2026-11-23T10:58:26Z")
        #expect(KubeTime(secondsSinceEpoch: 0).microTime == "1970-01-01T00:00:00.000000Z")
    }

    @Test func roundTripsAcrossCenturies() {
        for seconds in stride(from: -2_000_000_000.0, through: 4_000_000_000.0, by: 12_345_678.9) {
            let time = KubeTime(secondsSinceEpoch: seconds.rounded(.down))
            #expect(KubeTime(time.description)?.secondsSinceEpoch == time.secondsSinceEpoch)
        }
    }
}
