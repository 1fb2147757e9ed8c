import GigaVUE
import Testing

@Suite struct PromptMatcherTests {
    static let known: [(String, Prompt?)] = [
        ("GigaVUE-HC2 >", .cli(.user)),
        ("GigaVUE-HC2 > ", .cli(.user)),
        ("GigaVUE-HC2>", .cli(.user)),
        ("GigaVUE-HC2 #", .cli(.enable)),
        ("GigaVUE-HC2 # ", .cli(.enable)),
        ("GigaVUE-HC2 (config) # ", .cli(.config)),
        ("GigaVUE-HC2 (config map sensor_map) # ", .cli(.subMode("config map sensor_map"))),
        ("GigaVUE-HC2 (config gigastream sensor_stream) #", .cli(.subMode("config gigastream sensor_stream"))),
        ("output\nGigaVUE-HC2 (config) # ", .cli(.config)),
        ("GigaVUE-HC2 (config) # show\nrunning", nil),
        ("# ports: 4\n", nil),
        ("total # ", nil),
        ("OtherHost # ", nil),
        ("GigaVUE-HC2 (nonsense) # ", nil),
        ("GigaVUE-HC2 (config) >", nil),
        ("line one\n--More--", .pager),
        ("line one\n --More-- ", .pager),
        ("Password: ", .password),
        ("password:", .password),
        ("Admin Password: ", .passwordChange("Admin Password:")),
        ("Enter new password:", .passwordChange("Enter new password:")),
        ("Really? [yes/no] ", .confirmation("Really? [yes/no]")),
        ("Save (y/n)", .confirmation("Save (y/n)")),
        ("", nil),
    ]

    @Test(arguments: known)
    func recognisesPromptsOfAKnownHost(_ buffer: String, _ expected: Prompt?) {
        var matcher = PromptMatcher(hostname: "GigaVUE-HC2")
        #expect(matcher.match(buffer) == expected, "\(buffer.debugDescription)")
    }

    @Test(arguments: ["tap-01.lab_a.example", "H1", "a.b-c_d"])
    func learnsTheHostnameFromTheFirstUserPrompt(_ host: String) {
        var matcher = PromptMatcher()
        #expect(matcher.match("Welcome to GigaVUE-OS\n###########\n\(host) > ") == .cli(.user))
        #expect(matcher.hostname == host)
        #expect(matcher.match("\(host) (config) # ") == .cli(.config))
        #expect(matcher.match("elsewhere (config) # ") == nil)
    }

    @Test(arguments: ["Welcome >> to the lab\n", "#######", "Last login: today\n", "bad host! > ", "(config) # "])
    func bannersAreNoPrompt(_ banner: String) {
        var matcher = PromptMatcher()
        #expect(matcher.match(banner) == nil)
        #expect(matcher.hostname == nil)
    }

    @Test(arguments: [("Continue? ", true), ("Login:", true), ("x >", true), ("output line", false), ("", false)])
    func looksLikePrompt(_ line: String, _ expected: Bool) {
        #expect(PromptMatcher.looksLikePrompt(line) == expected)
    }

    @Test func describesModes() {
        #expect(CLIMode.subMode("config map m").description == "sub-mode (config map m)")
        #expect(CLIMode.user.description == "user mode")
    }
}
