import TroxileiaCore

/// The commands that make the tap send the source port group's traffic to exactly the sensor ports
/// (gigavue-cli.md "The reconfiguration plan"). Pure: building a plan sends nothing.
///
/// This initialiser builds the rebuild plan: it deletes and rebuilds our map and GigaStream, so
/// running it again after a failure anywhere converges. The port types go first: a `%` on that line
/// leaves the tap as it was (issue 15). `inPlace(from:)` (TapPlan+InPlace.swift) builds the plan that
/// edits the live objects instead. In configure mode:
/// ```
/// port P1,P2 type tool                  (setToolType, ≥ 1 port)
/// no map-passall alias M
/// no gigastream alias G
/// gigastream alias G port-list P1,P2    (≥ 2 ports)
/// map-passall alias M                   (≥ 1 port)
/// from GROUP
/// to G                                  (to P1 with exactly one port)
/// exit
/// write memory                          (save)
/// ```
public struct TapPlan: Hashable, Sendable {
    /// The sensor ports, sorted and unique.
    public let ports: [TapPort]
    /// The aliases and options the plan was built with.
    public let configuration: Configuration
    /// The lines to send in configure mode, in order.
    public let commands: [TapCommand]
    /// How the plan changes the tap.
    public let kind: Kind

    /// How a plan changes the tap (`--tap-update-strategy`).
    public enum Kind: String, Hashable, Sendable {
        /// Delete the map and GigaStream, then create them again: every sensor is dark meanwhile.
        case rebuild
        /// Edit the live GigaStream's member list or the map's `to`: ports that stay keep their traffic.
        case inPlace = "in-place"
    }

    /// Builds the plan for `ports` (any order; duplicates are dropped).
    ///
    /// Every port is checked before any command is built.
    /// - Parameters:
    ///   - allowedToolPorts: `--tool-ports`; `nil` allows every port.
    ///   - sourcePorts: the ports of the source port group; none of them may become a sensor port.
    /// - Throws: `TapError.portsInSourceGroup` (checked first: the more dangerous mistake) or
    ///   `.portsNotAllowed`, naming every offending port.
    public init(ports: some Sequence<TapPort>, configuration: Configuration = Configuration(),
                allowedToolPorts: ToolPortSet?, sourcePorts: Set<TapPort>) throws(TapError) {
        let sorted = Set(ports).sorted()
        let inSource = sorted.filter(sourcePorts.contains)
        guard inSource.isEmpty else {
            throw .portsInSourceGroup(inSource, group: configuration.sourcePortGroup)
        }
        if let allowedToolPorts {
            let outside = sorted.filter { !allowedToolPorts.contains($0) }
            guard outside.isEmpty else { throw .portsNotAllowed(outside, allowed: allowedToolPorts) }
        }
        self.ports = sorted
        self.configuration = configuration
        self.commands = Self.commands(for: sorted, configuration)
        self.kind = .rebuild
    }

    /// A plan of the given commands (`inPlace(from:)`).
    init(ports: [TapPort], configuration: Configuration, commands: [TapCommand], kind: Kind) {
        self.ports = ports
        self.configuration = configuration
        self.commands = commands
        self.kind = kind
    }

    /// The command lines as text, in order (logs, dry runs, transcripts).
    public var lines: [String] { commands.map(\.text) }

    private static func commands(for ports: [TapPort], _ configuration: Configuration) -> [TapCommand] {
        // The map goes first: the device refuses to delete a GigaStream a map still uses
        // (gigavue-cli.md, "Delete the map before the GigaStream it uses").
        var commands: [TapCommand] = []
        // The device takes one port type for the whole list (gigavue-cli.md plan, `port … type tool`);
        // first, so a port the device refuses costs no sensor its traffic (issue 15).
        if !ports.isEmpty, configuration.setToolType {
            commands.append(.setToolType(ports))
        }
        commands += [.deleteMap(configuration.mapAlias), .deleteGigaStream(configuration.gigastreamAlias)]
        if let only = ports.first {
            // A GigaStream needs at least two ports; one port is the map's destination directly.
            let destination: TapCommand
            if ports.count >= 2 {
                commands.append(.createGigaStream(configuration.gigastreamAlias, ports: ports))
                destination = .to(configuration.gigastreamAlias)
            } else {
                destination = .to(only)
            }
            commands += [.enterMap(configuration.mapAlias), .from(configuration.sourcePortGroup), destination, .exit]
        }
        // With no ports only the deletions run: no sensor gets traffic (gigavue-cli.md plan).
        if configuration.save {
            commands.append(.writeMemory)
        }
        return commands
    }
}
