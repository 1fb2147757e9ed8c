import TroxileiaCore

/// One line of the reconfiguration plan, sent in configure mode (gigavue-cli.md "The reconfiguration plan").
///
/// Commands exist only through the factories below, which take `TapPort` values and `AliasName`s:
/// no free text reaches the device (DESIGN.md "Decisions worth keeping").
public struct TapCommand: Hashable, Sendable, CustomStringConvertible {
    /// The line as sent, without a line ending.
    public let text: String
    /// Whether a `%` error answering this line is expected and harmless: true only for `no …`
    /// deletions, whose object may already be gone (gigavue-cli.md, "(model)"). An error on any other
    /// line fails the push.
    public let toleratesError: Bool

    private init(_ text: String, toleratesError: Bool = false) {
        self.text = text
        self.toleratesError = toleratesError
    }

    /// The line as sent.
    public var description: String { text }

    /// `no map-passall alias M`: removes our map (first, since it uses the GigaStream).
    public static func deleteMap(_ alias: AliasName) -> TapCommand {
        TapCommand("no map-passall alias \(alias.value)", toleratesError: true)
    }

    /// `no gigastream alias G`: removes our GigaStream.
    public static func deleteGigaStream(_ alias: AliasName) -> TapCommand {
        TapCommand("no gigastream alias \(alias.value)", toleratesError: true)
    }

    /// `port P1,P2 type tool`: a GigaStream and a map destination need tool ports.
    public static func setToolType(_ ports: [TapPort]) -> TapCommand {
        TapCommand("port \(PortList.cliText(ports)) type tool")
    }

    /// `gigastream alias G port-list P1,P2`: the one-line form (the device needs ≥ 2 ports).
    public static func createGigaStream(_ alias: AliasName, ports: [TapPort]) -> TapCommand {
        TapCommand("gigastream alias \(alias.value) port-list \(PortList.cliText(ports))")
    }

    /// `map-passall alias M`: enters the map's sub-mode.
    public static func enterMap(_ alias: AliasName) -> TapCommand {
        TapCommand("map-passall alias \(alias.value)")
    }

    /// `from GROUP`: the map's source, the network port group.
    public static func from(_ portGroup: AliasName) -> TapCommand {
        TapCommand("from \(portGroup.value)")
    }

    /// `to G`: the map's destination, our GigaStream.
    public static func to(_ gigastream: AliasName) -> TapCommand {
        TapCommand("to \(gigastream.value)")
    }

    /// `to P`: the map's destination when a single sensor port needs no GigaStream.
    public static func to(_ port: TapPort) -> TapCommand {
        TapCommand("to \(port.cliName)")
    }

    /// `exit`: leaves the map's sub-mode, back to configure mode.
    public static let exit = TapCommand("exit")

    /// `show running-config`: read-only; the driver reads our objects from its answer
    /// (gigavue-cli.md "Reading the device's state"). Valid in enable and configure mode.
    public static let showRunningConfig = TapCommand("show running-config")

    /// `write memory`: saves the running configuration (no confirmation prompt has been seen).
    public static let writeMemory = TapCommand("write memory")
}
