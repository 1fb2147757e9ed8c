extension TapPlan {
    /// What the plan manages on the tap and how (DESIGN.md configuration table, `tap.*`).
    public struct Configuration: Hashable, Sendable {
        /// Our map-passall (`--map-alias`). Default `sensor_map`: the original tool's name, so an
        /// existing installation's map is recognised (gigavue-cli.md "Aliases").
        public var mapAlias: AliasName
        /// Our GigaStream (`--gigastream-alias`). Default `sensor_stream`, the original tool's name.
        public var gigastreamAlias: AliasName
        /// The port group holding the network ports, the map's source (`--source-port-group`).
        /// Default `net_group`, the original tool's name. Never created or changed by us.
        public var sourcePortGroup: AliasName
        /// Whether the plan sets the sensor ports to type tool (`--tap-set-tool-type`). Default true:
        /// a GigaStream and a map destination need tool ports, and the command is harmless when they
        /// already are; turn it off where an operator manages port types.
        public var setToolType: Bool
        /// Whether the plan ends with `write memory` (`--tap-save`). Default true: without it a reboot
        /// of the tap loses the configuration until the next push.
        public var save: Bool

        /// A configuration; every argument defaults as documented on its property.
        public init(mapAlias: AliasName = .defaultMap, gigastreamAlias: AliasName = .defaultGigaStream,
                    sourcePortGroup: AliasName = .defaultSourcePortGroup,
                    setToolType: Bool = true, save: Bool = true) {
            self.mapAlias = mapAlias
            self.gigastreamAlias = gigastreamAlias
            self.sourcePortGroup = sourcePortGroup
            self.setToolType = setToolType
            self.save = save
        }
    }
}

extension AliasName {
    /// `sensor_map`, the original tool's map alias (gigavue-cli.md "Aliases").
    public static let defaultMap = AliasName(constant: "sensor_map")
    /// `sensor_stream`, the original tool's GigaStream alias.
    public static let defaultGigaStream = AliasName(constant: "sensor_stream")
    /// `net_group`, the original tool's source port group.
    public static let defaultSourcePortGroup = AliasName(constant: "net_group")

    /// For the constants above only: they are valid by inspection, and `AliasNameTests`-style tests
    /// (`TapPlanConfigurationTests`) check them against the validating initialiser.
    private init(constant: String) {
        value = constant
    }
}
