/// A tiny stand-in for the device's configuration, just enough to apply a plan's lines the way
/// gigavue-cli.md "The reconfiguration plan" says and print `show running-config` the way
/// "Reading the device's state" says. Test support only: the real simulator is an SSH server.
struct PlanApplier {
    var portTypes: [String: String] = [:]
    var gigastreams: [String: String] = [:]
    var maps: [String: [String]] = [:]
    /// Lines of objects we never touch, printed first.
    var otherLines: [String] = []
    /// Print GigaStreams in the sub-mode form instead of the one-line form.
    var subModeGigaStreams = false

    /// Applies configure-mode lines; a `no …` of a missing object is ignored (the plan tolerates it).
    mutating func apply(_ lines: [String]) {
        var openMap: (alias: String, lines: [String])?
        for line in lines {
            let words = line.split(separator: " ").map(String.init)
            if var map = openMap {
                if line == "exit" { maps[map.alias] = map.lines; openMap = nil } else { map.lines.append(line); openMap = map }
                continue
            }
            switch (words.first, words.count) {
            case ("no", 4) where words[1] == "map-passall": maps[words[3]] = nil
            case ("no", 4) where words[1] == "gigastream": gigastreams[words[3]] = nil
            case ("port", 4): for port in words[1].split(separator: ",") { portTypes[String(port)] = words[3] }
            case ("gigastream", 5): gigastreams[words[2]] = words[4]
            case ("map-passall", 3): openMap = (words[2], [])
            default: break  // `write memory`
            }
        }
    }

    /// The configuration as `show running-config` prints it, with CRLF line ends like a PTY.
    var runningConfig: String {
        var lines = ["##", "## Running database \"initial\"", "##"] + otherLines
        lines += portTypes.keys.sorted().map { "port \($0) type \(portTypes[$0] ?? "")" }
        for (alias, ports) in gigastreams.sorted(by: { $0.key < $1.key }) {
            lines += subModeGigaStreams ? ["gigastream alias \(alias)", "  port-list \(ports)", "  exit"]
                : ["gigastream alias \(alias) port-list \(ports)"]
        }
        for (alias, body) in maps.sorted(by: { $0.key < $1.key }) {
            lines += ["map-passall alias \(alias)"] + body.map { "  " + $0 } + ["  exit"]
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
