import Testing
@testable import troxileia

@Suite struct EnvironmentTwinsTests {
    private let twins = EnvironmentTwins(twinsBySubcommand: [
        "validate": [.init(flag: "port-label", kind: .option), .init(flag: "strict", kind: .flag)],
    ])

    @Test func namesTheVariableInUpperSnakeCase() {
        #expect(EnvironmentTwins.Twin(flag: "tap-host-key-sha256", kind: .option).variable == "TROXILEIA_TAP_HOST_KEY_SHA256")
    }

    @Test func addsTwinsThatAreSetAndNotGiven() throws {
        let arguments = try twins.arguments(["validate", "f.json"],
                                            environment: ["TROXILEIA_PORT_LABEL": "tap", "TROXILEIA_STRICT": "true"])
        #expect(arguments == ["validate", "f.json", "--port-label=tap", "--strict"])
    }

    @Test func theCommandLineWins() throws {
        let environment = ["TROXILEIA_PORT_LABEL": "env", "TROXILEIA_STRICT": "1"]
        #expect(try twins.arguments(["validate", "--port-label", "cli", "--strict"], environment: environment)
            == ["validate", "--port-label", "cli", "--strict"])
        #expect(try twins.arguments(["validate", "--port-label=cli"], environment: environment)
            == ["validate", "--port-label=cli", "--strict"])
    }

    @Test func falseFlagsAddNothingAndOtherCommandsAreUntouched() throws {
        #expect(try twins.arguments(["validate"], environment: ["TROXILEIA_STRICT": "false"]) == ["validate"])
        #expect(try twins.arguments(["version"], environment: ["TROXILEIA_STRICT": "true"]) == ["version"])
        #expect(try twins.arguments([], environment: ["TROXILEIA_STRICT": "true"]) == [])
    }

    @Test func insertsBeforeADoubleDash() throws {
        #expect(try twins.arguments(["validate", "--", "--strict"], environment: ["TROXILEIA_STRICT": "true"])
            == ["validate", "--strict", "--", "--strict"])
    }

    @Test func rejectsAFlagValueThatIsNotABoolean() {
        #expect(throws: EnvironmentTwins.InvalidValue.self) {
            try twins.arguments(["validate"], environment: ["TROXILEIA_STRICT": "yes please"])
        }
    }
}
