import Testing
@testable import TroxileiaCore

@Suite struct TapPortTests {
    /// Every boundary of every part (0, 1, max, max+1), every letter, breakouts.
    @Test(arguments: [
        ("1_1_x1", "1/1/x1"), ("255_1_x1", "255/1/x1"), ("1_32_x1", "1/32/x1"), ("1_1_x128", "1/1/x128"),
        ("1_1_g1", "1/1/g1"), ("1_1_q1", "1/1/q1"), ("1_1_c1", "1/1/c1"),
        ("1_2_q3x1", "1/2/q3x1"), ("1_1_q1x4", "1/1/q1x4"), ("11_5_c128x4", "11/5/c128x4"),
        ("255_32_q128x4", "255/32/q128x4"), ("12_10_g48", "12/10/g48"),
    ])
    func acceptsValidPorts(label: String, cli: String) throws {
        let fromLabel = try TapPort(label: label)
        let fromCLI = try TapPort(cli: cli)
        #expect(fromLabel == fromCLI)
        #expect(fromLabel.labelValue == label)
        #expect(fromLabel.cliName == cli)
        #expect("\(fromLabel)" == cli)
    }

    @Test(arguments: [
        ("0_1_x1", TapPortSyntaxError.Problem.outOfRange(.box, text: "0")),
        ("256_1_x1", .outOfRange(.box, text: "256")),
        ("1_0_x1", .outOfRange(.slot, text: "0")),
        ("1_33_x1", .outOfRange(.slot, text: "33")),
        ("1_1_x0", .outOfRange(.portNumber, text: "0")),
        ("1_1_x129", .outOfRange(.portNumber, text: "129")),
        ("1_1_q1x0", .outOfRange(.breakout, text: "0")),
        ("1_1_q1x5", .outOfRange(.breakout, text: "5")),
        ("99999_1_x1", .outOfRange(.box, text: "99999")),
        ("1_1_x1x1", .breakoutNotAllowed(.tenGigabit)),
        ("1_1_g1x2", .breakoutNotAllowed(.gigabit)),
        ("1_1_e1", .enginePort),
        ("1_1_z1", .unknownSpeedLetter("z")),
        ("1_1_1", .missingSpeedLetter),
        ("1_1_x", .notANumber(.portNumber, text: "")),
        ("1_1_", .notANumber(.portNumber, text: "")),
        ("a_1_x1", .notANumber(.box, text: "a")),
        ("1__x1", .notANumber(.slot, text: "")),
        ("1_1_q1x", .notANumber(.breakout, text: "")),
        ("1_1_q1y2", .trailingText("y2")),
        ("1_01_x1", .leadingZero(.slot, text: "01")),
        ("01_1_x1", .leadingZero(.box, text: "01")),
        ("1_1_x01", .leadingZero(.portNumber, text: "01")),
        ("1_1_x1_", .wrongPartCount(4)),
        ("x1", .wrongPartCount(1)),
        ("1_x1", .wrongPartCount(2)),
        ("", .empty),
        ("1_1_X1", .upperCase),
        ("1/1/x1", .wrongSeparator(found: "/")),
        ("1-1-x1", .wrongSeparator(found: "-")),
        ("1_1_x1 ", .invalidCharacter(" ")),
        ("1_1_x½", .invalidCharacter("½")),
        (String(repeating: "1", count: 64), .tooLong(length: 64)),
    ])
    func rejectsWithTheReason(label: String, problem: TapPortSyntaxError.Problem) {
        guard case .failure(let error) = TapPort.parse(label, notation: .label) else {
            Issue.record("\(label) was accepted")
            return
        }
        #expect(error.kind == problem)
        #expect(error.input == label || label.count > 64)
    }

    /// The issue's named cases: each message says what is wrong and, where it can, what to write.
    @Test(arguments: [
        ("1/1/x1", "label values cannot hold \"/\"", "write 1_1_x1"),
        ("1_1_X1", "letters in a tap port are lower case", "write 1_1_x1"),
        ("1_1_e1", "e ports are GigaSMART engine ports, not cabled to nodes", "use the g, x, q or c port"),
        ("1_01_x1", "numbers have no leading zeros (slot \"01\")", "write 1_1_x1"),
        ("1_1_x1_", "expected three parts BOX_SLOT_PORT separated by \"_\", found 4", "e.g. 1_1_x1"),
        ("", "the value is empty", "write the tap port as BOX_SLOT_PORT, e.g. 1_1_x1"),
        ("x1", "expected three parts BOX_SLOT_PORT", "e.g. 1_1_x1"),
        (String(repeating: "x", count: 64), "64 characters long; a tap port is at most 13", "BOX_SLOT_PORT"),
        ("1_1_x1x2", "breakout sub-ports exist only on q and c ports, not on x (10G) ports", "BOX_SLOT_PORT"),
        ("1_33_x1", "slot 33 is out of range 1–32", "BOX_SLOT_PORT"),
        ("1.1.x1", "separated by \"_\", not \".\"", "write 1_1_x1"),
        ("1_1_Q1X2", "lower case", "write 1_1_q1x2"),
        ("1/01/x1", "label values cannot hold \"/\"", "write 1_1_x1"),
    ])
    func explainsAndSuggests(label: String, problem: String, hint: String) {
        guard case .failure(let error) = TapPort.parse(label, notation: .label) else {
            Issue.record("\(label) was accepted")
            return
        }
        #expect(error.problem.contains(problem), "\(error.problem)")
        #expect(error.hint.contains(hint), "\(error.hint)")
    }

    @Test func upperCaseWithoutValidLowerFormOffersNoSuggestion() {
        guard case .failure(let error) = TapPort.parse("1_99_X1", notation: .label) else {
            Issue.record("accepted")
            return
        }
        #expect(error.kind == .upperCase)
        #expect(error.suggestion == nil)
    }

    @Test func cliNotationSuggestsTheCLIForm() {
        guard case .failure(let error) = TapPort.parse("1_1_x1", notation: .cli) else {
            Issue.record("accepted")
            return
        }
        #expect(error.kind == .wrongSeparator(found: "_"))
        #expect(error.hint == "write 1/1/x1")
    }

    @Test func longInputIsTruncatedInMessages() {
        let huge = String(repeating: "7", count: 10_000)
        guard case .failure(let error) = TapPort.parse(huge, notation: .label) else {
            Issue.record("accepted")
            return
        }
        #expect(error.input.count == 65)
        #expect(error.description.count < 300)
    }

    @Test func ordersByBoxSlotSpeedNumberBreakout() throws {
        let labels = ["2_1_g1", "1_2_g1", "1_1_c1", "1_1_q2", "1_1_q1x2", "1_1_q1", "1_1_x10", "1_1_x9", "1_1_g5"]
        let sorted = try labels.map { try TapPort(label: $0) }.sorted().map(\.labelValue)
        #expect(sorted == ["1_1_g5", "1_1_x9", "1_1_x10", "1_1_q1", "1_1_q1x2", "1_1_q2", "1_1_c1", "1_2_g1", "2_1_g1"])
    }

    @Test func memberwiseInitRefusesOutOfRangeParts() {
        #expect(TapPort(box: 0, slot: 1, speed: .tenGigabit, number: 1) == nil)
        #expect(TapPort(box: 1, slot: 1, speed: .tenGigabit, number: 1, breakout: 1) == nil)
        #expect(TapPort(box: 1, slot: 1, speed: .fortyGigabit, number: 1, breakout: 5) == nil)
        #expect(TapPort(box: 1, slot: 1, speed: .fortyGigabit, number: 1, breakout: 4)?.labelValue == "1_1_q1x4")
    }
}
