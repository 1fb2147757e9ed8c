import GigaVUE
import Testing

@Suite struct CLIResponseTests {
    static let cases: [(String, CLIResponse.Outcome, String)] = [
        ("", .success, ""),
        ("\n  \n", .success, ""),
        ("% Invalid port '3/1/1': invalid port syntax", .deviceError("% Invalid port '3/1/1': invalid port syntax"),
         "% Invalid port '3/1/1': invalid port syntax"),
        ("          ^\n% Unrecognized command\n", .deviceError("% Unrecognized command"), "          ^\n% Unrecognized command"),
        ("%a\nb\n %c", .deviceError("%a\n%c"), "%a\nb\n %c"),
        ("\nmap-passall alias m\n  from g\n\n", .output, "map-passall alias m\n  from g"),
        ("a 50% share", .output, "a 50% share"),
        ("one\n--More--        two", .output, "one\ntwo"),
    ]

    @Test(arguments: cases)
    func parses(_ output: String, _ outcome: CLIResponse.Outcome, _ text: String) {
        let response = CLIResponse(output: output)
        #expect(response.outcome == outcome)
        #expect(response.text == text)
        #expect(response.isSuccess == (response.deviceError == nil))
    }

    @Test func describesEmptyOutput() {
        #expect(CLIResponse(output: "").description == "(no output)")
        #expect(CLIResponse(output: "x").description == "x")
    }
}
