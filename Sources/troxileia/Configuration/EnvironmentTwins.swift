/// Every flag has an environment twin `TROXILEIA_<FLAG_IN_UPPER_SNAKE>` (DESIGN.md
/// "Configuration"): `--port-label` ↔ `TROXILEIA_PORT_LABEL`. A flag given on the command line
/// wins over its twin. The twins are turned into command-line arguments before parsing, so
/// validation and error messages are the same whichever way a value arrives.
struct EnvironmentTwins {
    /// How a flag takes its value.
    enum Kind: Sendable {
        /// `--name VALUE`.
        case option
        /// `--name` alone; the twin reads `true`/`false` (also `1`/`0`).
        case flag
    }

    /// A flag that has a twin.
    struct Twin: Sendable {
        let flag: String
        let kind: Kind

        /// `port-label` → `TROXILEIA_PORT_LABEL`.
        var variable: String {
            "TROXILEIA_" + String(flag.uppercased().map { $0 == "-" ? "_" : $0 })
        }
    }

    /// A twin whose value cannot be used.
    struct InvalidValue: Error, CustomStringConvertible {
        let variable: String
        let value: String
        var description: String { "\(variable)=\"\(value)\" is not valid: use true or false" }
    }

    /// Twins by subcommand name.
    let twinsBySubcommand: [String: [Twin]]

    /// `arguments` (without the program name) with every twin of the chosen subcommand that is
    /// set in `environment` and absent from `arguments` appended.
    func arguments(_ arguments: [String], environment: [String: String]) throws(InvalidValue) -> [String] {
        guard let subcommand = arguments.first, let twins = twinsBySubcommand[subcommand] else { return arguments }
        // Everything after `--` is positional: neither searched nor extended.
        let separator = arguments.firstIndex(of: "--") ?? arguments.endIndex
        let flags = arguments[..<separator]
        var added: [String] = []
        for twin in twins {
            guard let value = environment[twin.variable] else { continue }
            let given = flags.contains { $0 == "--\(twin.flag)" || $0.hasPrefix("--\(twin.flag)=") }
            if given { continue }
            switch twin.kind {
            case .option:
                added.append("--\(twin.flag)=\(value)")
            case .flag:
                switch value.lowercased() {
                case "true", "1": added.append("--\(twin.flag)")
                case "false", "0", "": break
                default: throw InvalidValue(variable: twin.variable, value: value)
                }
            }
        }
        var result = arguments
        result.insert(contentsOf: added, at: separator)
        return result
    }
}
