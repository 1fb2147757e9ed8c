import TroxileiaCore

/// The line-by-line state machine behind `RunningConfig`: one `read` per line, then `finish`.
/// The rules it follows are documented on `RunningConfig.init(parsing:configuration:)`.
struct RunningConfigParser {
    let mapAlias: String
    let gigastreamAlias: String
    let sourcePortGroup: String

    private(set) var sourceGroupPorts: [TapPort]?
    private(set) var map: ManagedConfiguration.Map?
    private(set) var gigastream: ManagedConfiguration.GigaStream?
    private(set) var portTypes: [TapPort: String] = [:]
    private(set) var warnings: [RunningConfigWarning] = []

    /// Where we are: top level or inside a sub-mode block.
    private enum Block {
        case topLevel
        case ourMap(ManagedConfiguration.Map, openedAt: Int)
        case ourGigaStream(openedAt: Int)
        case sourceGroup
        case other
    }
    private var block = Block.topLevel

    /// Keywords that open a top-level object: seeing one inside a block means its `exit` was missing.
    private static let openers: Set<Substring> = ["map", "map-passall", "map-scollector", "map-template",
                                                  "gigastream", "port-group", "port"]

    init(mapAlias: String, gigastreamAlias: String, sourcePortGroup: String) {
        self.mapAlias = mapAlias
        self.gigastreamAlias = gigastreamAlias
        self.sourcePortGroup = sourcePortGroup
    }

    mutating func read(_ rawLine: Substring, number: Int) {
        let tokens = rawLine.split(whereSeparator: \.isWhitespace)
        // Blank lines, `##` banners and `!` separators carry nothing.
        guard let keyword = tokens.first, !keyword.hasPrefix("#"), !keyword.hasPrefix("!") else { return }
        switch block {
        case .topLevel:
            readTopLevel(tokens, number: number)
        case .ourMap(var current, let openedAt):
            if tokens == ["exit"] {
                close(current, number: number)
            } else if Self.openers.contains(keyword) {
                warn(openedAt, "map-passall alias \(mapAlias) is not closed by exit")
                close(current, number: number)
                readTopLevel(tokens, number: number)
            } else {
                readMapLine(tokens, into: &current, number: number)
                block = .ourMap(current, openedAt: openedAt)
            }
        case .ourGigaStream(let openedAt):
            if tokens == ["exit"] {
                block = .topLevel
            } else if keyword == "port-list" {
                gigastream = readGigaStream(tokens.dropFirst(), number: number)
            } else if Self.openers.contains(keyword) {
                warn(openedAt, "gigastream alias \(gigastreamAlias) is not closed by exit")
                block = .topLevel
                readTopLevel(tokens, number: number)
            }
        case .sourceGroup where keyword == "port-list":
            sourceGroupPorts = readSourceGroup(tokens.dropFirst())
        case .sourceGroup, .other:
            if tokens == ["exit"] {
                block = .topLevel
            } else if Self.openers.contains(keyword) {
                block = .topLevel
                readTopLevel(tokens, number: number)
            }
        }
    }

    /// End of text: a block still open is kept as read.
    mutating func finish() {
        if case .ourMap(let current, let openedAt) = block {
            warn(openedAt, "map-passall alias \(mapAlias) is not closed by exit")
            close(current, number: openedAt)
        }
        block = .topLevel
    }

    private mutating func readTopLevel(_ tokens: [Substring], number: Int) {
        let keyword = tokens[0]
        if keyword.hasPrefix("map"), tokens.count >= 3, tokens[1] == "alias" {
            guard tokens[2] == mapAlias else { block = .other; return }
            // Another kind of map under our alias is not ours to rewrite silently: its header is foreign.
            let foreign = keyword == "map-passall" ? [] : [tokens.joined(separator: " ")]
            block = .ourMap(ManagedConfiguration.Map(alias: mapAlias, from: nil, to: nil, foreignLines: foreign),
                            openedAt: number)
        } else if keyword == "gigastream", tokens.count >= 3, tokens[1] == "alias" {
            let ours = tokens[2] == gigastreamAlias
            if tokens.count >= 4, tokens[3] == "port-list" {
                if ours { gigastream = readGigaStream(tokens.dropFirst(4), number: number) }
            } else if tokens.count == 3 {
                block = ours ? .ourGigaStream(openedAt: number) : .other
                if ours { gigastream = ManagedConfiguration.GigaStream(alias: gigastreamAlias, ports: []) }
            }
        } else if keyword == "port-group", tokens.count >= 3, tokens[1] == "alias" {
            let ours = tokens[2] == sourcePortGroup
            if tokens.count >= 5, tokens[3] == "port-list" {
                if ours { sourceGroupPorts = readSourceGroup(tokens.dropFirst(4)) }
            } else if tokens.count == 3 {
                block = ours ? .sourceGroup : .other
            }
        } else if keyword == "port", tokens.count >= 4, tokens[2] == "type" {
            // Types of other ports are not ours to judge: bad elements here are skipped silently.
            for port in PortList.parseLeniently(String(tokens[1]), limit: RunningConfig.portLimit).ports {
                portTypes[port] = String(tokens[3])
            }
        }
    }

    private mutating func readMapLine(_ tokens: [Substring], into map: inout ManagedConfiguration.Map, number: Int) {
        let line = tokens.joined(separator: " ")
        switch tokens[0] {
        case "from" where map.from == nil && tokens.count >= 2:
            map.from = endpoint(tokens.dropFirst(), number: number)
        case "to" where map.to == nil && tokens.count >= 2:
            map.to = endpoint(tokens.dropFirst(), number: number)
        default:
            // `rule …`, `comment …`, a second `from`/`to`: the operator's, not ours (issue 5).
            map.foreignLines.append(line)
        }
    }

    private mutating func close(_ current: ManagedConfiguration.Map, number: Int) {
        if map != nil { warn(number, "map-passall alias \(mapAlias) appears twice; the last one is used") }
        map = current
        block = .topLevel
    }

    private mutating func endpoint(_ arguments: ArraySlice<Substring>, number: Int) -> ManagedConfiguration.Endpoint {
        let text = arguments.joined(separator: " ")
        // Aliases hold neither `/` nor `,` nor spaces (gigavue-cli.md "Aliases"): anything else is ports.
        guard arguments.count == 1, text.contains("/") || text.contains(",") else {
            guard arguments.count == 1 else {
                warn(number, "cannot read \"\(text.prefix(64))\" in map-passall alias \(mapAlias)")
                return .unreadable(text)
            }
            return .alias(text)
        }
        let read = PortList.parseLeniently(text, limit: RunningConfig.portLimit)
        guard read.rejected.isEmpty, !read.ports.isEmpty else {
            for rejected in read.rejected { warn(number, "ignored port \"\(rejected.element)\": \(rejected.problem)") }
            return .unreadable(text)
        }
        return .ports(read.ports)
    }

    private mutating func readGigaStream(_ arguments: ArraySlice<Substring>, number: Int) -> ManagedConfiguration.GigaStream {
        let text = arguments.first.map(String.init) ?? ""
        let read = PortList.parseLeniently(text, limit: RunningConfig.portLimit)
        for rejected in read.rejected {
            warn(number, "ignored port \"\(rejected.element)\" of gigastream alias \(gigastreamAlias): \(rejected.problem)")
        }
        if text.isEmpty { warn(number, "gigastream alias \(gigastreamAlias) has an empty port-list") }
        return ManagedConfiguration.GigaStream(alias: gigastreamAlias, ports: read.ports,
                                               unreadablePorts: read.rejected.map(\.element))
    }

    /// Every readable port counts: refusing too many ports is the safe side.
    private func readSourceGroup(_ arguments: ArraySlice<Substring>) -> [TapPort] {
        let read = PortList.parseLeniently(arguments.first.map(String.init) ?? "", limit: RunningConfig.portLimit)
        return Set((sourceGroupPorts ?? []) + read.ports).sorted()
    }

    private mutating func warn(_ line: Int, _ problem: String) {
        warnings.append(RunningConfigWarning(line: line, problem: problem))
    }
}
