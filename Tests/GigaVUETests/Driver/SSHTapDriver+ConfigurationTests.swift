import GigaVUE
import Testing

@Suite struct SSHTapDriverConfigurationTests {
    static func make(_ change: (inout SSHTapDriver.Configuration) -> Void = { _ in }) -> SSHTapDriver.Configuration {
        var configuration = SSHTapDriver.Configuration(host: "tap1.example", passwordFile: "/run/secrets/password",
                                                       hostKey: .knownHosts(path: "/etc/troxileia/known_hosts"))
        change(&configuration)
        return configuration
    }

    @Test func hasDesignDefaultsAndNoProblems() {
        let configuration = Self.make()
        #expect(configuration.sshPort == 22 && configuration.user == "admin")
        #expect(configuration.connectTimeout == .seconds(10) && configuration.commandTimeout == .seconds(30))
        #expect(configuration.pushTimeout == .seconds(120))
        #expect(configuration.problems.isEmpty)
    }

    @Test(arguments: [
        ("", "--tap-host"), ("tap 1", "--tap-host"),
    ])
    func refusesBadHosts(host: String, flag: String) {
        #expect(Self.make { $0.host = host }.problems.contains { $0.contains(flag) })
    }

    @Test func namesEveryProblem() {
        let problems = Self.make {
            $0.sshPort = 0
            $0.user = "ad min"
            $0.passwordFile = nil
            $0.keyPassphraseFile = "/p"
            $0.commandTimeout = .zero
            $0.pushTimeout = .seconds(1)
        }.problems
        for flag in ["--tap-ssh-port", "--tap-user", "--tap-password-file or --tap-key-file", "--tap-key-passphrase-file",
                     "--tap-command-timeout", "--tap-push-timeout must not be shorter"] {
            #expect(problems.contains { $0.contains(flag) }, "\(flag) in \(problems)")
        }
    }
}
