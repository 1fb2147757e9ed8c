import Testing
import TroxileiaCore

@Suite struct SensorFlagTests {
    @Test func absentMeansFalse() throws {
        #expect(try SensorFlag.parse(nil).get() == false)
    }

    @Test(arguments: [("true", true), ("false", false)])
    func acceptsTheTwoCanonicalValues(value: String, expected: Bool) throws {
        #expect(try SensorFlag.parse(value).get() == expected)
    }

    @Test(arguments: [
        ("True", "write true"), ("yes", "write true"), ("1", "write true"), ("TRUE", "write true"),
        ("no", "write false"), ("0", "write false"), ("False", "write false"),
        ("", "the accepted values are true and false"), ("maybe", "the accepted values are true and false"),
    ])
    func rejectsEverythingElseNamingTheAcceptedValues(value: String, hint: String) {
        guard case .failure(let error) = SensorFlag.parse(value) else {
            Issue.record("\(value) accepted")
            return
        }
        #expect(error.hint.contains(hint))
        #expect(error.message.contains("true") && error.message.contains("false"))
        #expect(value.isEmpty ? error.problem == "the value is empty" : error.problem.contains("\"\(value)\""))
    }
}

@Suite struct LabelKeysTests {
    @Test(arguments: ["sensor", "port", "troxileia.io/port", "a", "tap-port_1.x", "example.com/sensor"])
    func acceptsValidKeys(key: String) throws {
        try LabelKeys(sensor: key, port: key + "-port").validate()
    }

    @Test(arguments: ["", "-port", "port-", "has space", "a/b/c", "/port", "Upper.Case/port",
                      String(repeating: "p", count: 64), "port!"])
    func rejectsInvalidKeys(key: String) {
        #expect(throws: LabelKeyError.self) { try LabelKeys(sensor: "sensor", port: key).validate() }
    }

    @Test func rejectsTheSameKeyTwice() {
        #expect(throws: LabelKeyError.self) { try LabelKeys(sensor: "x", port: "x").validate() }
    }

    @Test func readsConfiguredKeys() {
        let labels = SensorLabels(labels: ["tap/sensor": "true", "tap/port": "1_1_x2", "sensor": "false"],
                                  keys: LabelKeys(sensor: "tap/sensor", port: "tap/port"))
        #expect(labels.isSensor)
        #expect(labels.validPort?.cliName == "1/1/x2")
    }
}
