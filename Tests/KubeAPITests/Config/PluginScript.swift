import Foundation
import KubeAPI

/// A real credential plugin for tests: a shell script in a temp dir that appends a line to a
/// runs file each time it starts, then runs `body`.
struct PluginScript {
    let scratch: ConfigScratch
    let configuration: ExecCredentialPlugin.Configuration

    /// Writes the script; it is run as `/bin/sh SCRIPT` so no test waits on an exec bit.
    init(_ body: String, apiVersion: String = ExecCredentialPlugin.apiVersionV1,
         environment: [ExecCredentialPlugin.EnvironmentVariable] = [], installHint: String? = nil,
         cluster: ExecCredentialPlugin.ClusterInfo? = nil) throws {
        scratch = try ConfigScratch()
        let script = try scratch.write("plugin.sh", "#!/bin/sh\necho run >> '\(scratch.file("runs"))'\n\(body)\n")
        configuration = .init(apiVersion: apiVersion, command: "/bin/sh", arguments: [script], environment: environment,
                              installHint: installHint, cluster: cluster, declaringFile: scratch.file("config.yaml"),
                              declaringField: "users[main].user.exec")
    }

    /// How many times the script has started.
    var runs: Int {
        guard let text = try? String(contentsOfFile: scratch.file("runs"), encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").count
    }

    /// A provider over the script with short test bounds.
    func provider(timeout: Duration = .seconds(10), maximumOutput: Int = 1 << 20) -> TokenProvider {
        var options = TokenProvider.Configuration()
        options.execTimeout = timeout
        options.execMaximumOutput = maximumOutput
        return TokenProvider(credentials: .exec(configuration), configuration: options)
    }

    /// A shell line printing an ExecCredential.
    static func printCredential(token: String, expiration: Date? = nil,
                                apiVersion: String = ExecCredentialPlugin.apiVersionV1) -> String {
        let expiry = expiration.map { ",\"expirationTimestamp\":\"\($0.formatted(.iso8601))\"" } ?? ""
        return "printf '%s\\n' '{\"apiVersion\":\"\(apiVersion)\",\"kind\":\"ExecCredential\","
            + "\"status\":{\"token\":\"\(token)\"\(expiry)}}'"
    }
}
