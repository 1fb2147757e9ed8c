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
    /// What the line does to the objects that carry traffic, for the dark-time estimate (`DarkTime`).
    public let effect: Effect

    /// What a line does to our map and GigaStream, as the device applies it when it answers without `%`.
    public enum Effect: Hashable, Sendable {
        /// Reads, saves and port types: no change to where traffic goes.
        case none
        /// `no map-passall alias M`.
        case deleteMap
        /// `no gigastream alias G`.
        case deleteGigaStream
        /// `gigastream alias G port-list …`: creates G or replaces its members.
        case setGigaStream([TapPort])
        /// `map-passall alias M`: into the sub-mode, starting from the map as it is.
        case enterMap
        /// `from GROUP` in the map's sub-mode.
        case from(String)
        /// `to …` in the map's sub-mode.
        case to(ManagedConfiguration.Endpoint)
        /// `exit`: the map's sub-mode commits.
        case exit
    }

    private init(_ text: String, toleratesError: Bool = false, effect: Effect = .none) {
        self.text = text
        self.toleratesError = toleratesError
        self.effect = effect
    }

    /// The line as sent.
    public var description: String { text }

    /// `no map-passall alias M`: removes our map (first, since it uses the GigaStream).
    public static func deleteMap(_ alias: AliasName) -> TapCommand {
        TapCommand("no map-passall alias \(alias.value)", toleratesError: true, effect: .deleteMap)
    }

    /// `no gigastream alias G`: removes our GigaStream.
    public static func deleteGigaStream(_ alias: AliasName) -> TapCommand {
        TapCommand("no gigastream alias \(alias.value)", toleratesError: true, effect: .deleteGigaStream)
    }

    /// `port P1,P2 type tool`: a GigaStream and a map destination need tool ports.
    public static func setToolType(_ ports: [TapPort]) -> TapCommand {
        TapCommand("port \(PortList.cliText(ports)) type tool")
    }

    /// `gigastream alias G port-list P1,P2`: the one-line form (the device needs ≥ 2 ports).
    public static func createGigaStream(_ alias: AliasName, ports: [TapPort]) -> TapCommand {
        TapCommand("gigastream alias \(alias.value) port-list \(PortList.cliText(ports))", effect: .setGigaStream(ports))
    }

    /// `map-passall alias M`: enters the map's sub-mode.
    public static func enterMap(_ alias: AliasName) -> TapCommand {
        TapCommand("map-passall alias \(alias.value)", effect: .enterMap)
    }

    /// `from GROUP`: the map's source, the network port group.
    public static func from(_ portGroup: AliasName) -> TapCommand {
        TapCommand("from \(portGroup.value)", effect: .from(portGroup.value))
    }

    /// `to G`: the map's destination, our GigaStream.
    public static func to(_ gigastream: AliasName) -> TapCommand {
        TapCommand("to \(gigastream.value)", effect: .to(.alias(gigastream.value)))
    }

    /// `to P`: the map's destination when a single sensor port needs no GigaStream.
    public static func to(_ port: TapPort) -> TapCommand {
        TapCommand("to \(port.cliName)", effect: .to(.ports([port])))
    }

    /// `exit`: leaves the map's sub-mode, back to configure mode.
    public static let exit = TapCommand("exit", effect: .exit)

    /// `exit` after a refused line in the map's sub-mode: leaves it before the fallback plan, and a `%`
    /// (the device refusing the edited map) is expected there.
    static let leaveSubMode = TapCommand("exit", toleratesError: true, effect: .exit)

    /// `show port`: the chassis ports and their types (gigavue-cli.md "Listing the device's ports").
    /// Read-only; a `%` (a release without it) is tolerated and leaves the ports unknown.
    public static let showPort = TapCommand("show port", toleratesError: true)

    /// `show port port-list P`: the device's own answer about one port (`% Port … does not exist`).
    public static func showPort(_ port: TapPort) -> TapCommand {
        TapCommand("show port port-list \(port.cliName)", toleratesError: true)
    }

    /// `show running-config`: read-only; the driver reads our objects from its answer
    /// (gigavue-cli.md "Reading the device's state"). Valid in enable and configure mode.
    public static let showRunningConfig = TapCommand("show running-config")

    /// `write memory`: saves the running configuration (no confirmation prompt has been seen).
    public static let writeMemory = TapCommand("write memory")
}
