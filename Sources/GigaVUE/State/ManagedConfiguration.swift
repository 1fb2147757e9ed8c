import TroxileiaCore

/// What Troxileia manages on the tap, as read from `show running-config`: our map and our
/// GigaStream (gigavue-cli.md "Reading the device's state").
///
/// Equality compares the whole structure, not just the sensor ports: a missing map, a wrong `from`,
/// a leftover GigaStream or a foreign line in our map all differ from what a plan makes, so they
/// count as drift and trigger a push.
public struct ManagedConfiguration: Hashable, Sendable {
    /// Our `map-passall` block, `nil` when the device has none with our alias.
    public var map: Map?
    /// Our GigaStream, `nil` when the device has none with our alias.
    public var gigastream: GigaStream?
    /// The `port … type T` settings shown for the ports our map sends to (`sensorPorts()`); empty when
    /// the device shows none. Informational: `matches` only refuses a type that is shown and not `tool`.
    public var portTypes: [TapPort: String]

    /// A configuration with the given parts.
    public init(map: Map? = nil, gigastream: GigaStream? = nil, portTypes: [TapPort: String] = [:]) {
        self.map = map
        self.gigastream = gigastream
        self.portTypes = portTypes
    }

    /// Our `map-passall alias M` block.
    public struct Map: Hashable, Sendable {
        /// The map's alias as the device printed it.
        public var alias: String
        /// The `from` line's argument, `nil` when the block has none.
        public var from: Endpoint?
        /// The `to` line's argument, `nil` when the block has none.
        public var to: Endpoint?
        /// Lines of the block we don't write (`rule …`, `comment …`, a second `from` or `to`), trimmed.
        /// Such a map is replaced only with `--adopt-existing-map` (DESIGN.md "Safety"); the driver decides.
        public var foreignLines: [String]

        /// A map block with the given lines.
        public init(alias: String, from: Endpoint?, to: Endpoint?, foreignLines: [String] = []) {
            self.alias = alias
            self.from = from
            self.to = to
            self.foreignLines = foreignLines
        }

        /// Whether the block holds lines we don't manage.
        public var hasForeignLines: Bool { !foreignLines.isEmpty }
    }

    /// A map's `from` or `to` argument.
    public enum Endpoint: Hashable, Sendable {
        /// An alias: a port group or a GigaStream. Aliases cannot hold `/` or `,` (gigavue-cli.md
        /// "Aliases"), which is how they are told from ports.
        case alias(String)
        /// One or more ports (`to 1/1/x1`), sorted and unique.
        case ports([TapPort])
        /// Text that names ports but not all of them could be read; never equal to what we write.
        case unreadable(String)
    }

    /// Our `gigastream alias G` and its port list.
    public struct GigaStream: Hashable, Sendable {
        /// The GigaStream's alias as the device printed it.
        public var alias: String
        /// Its ports, ranges expanded, sorted and unique.
        public var ports: [TapPort]
        /// Port-list elements that could not be read (kept so the structure differs from any plan's).
        public var unreadablePorts: [String]

        /// A GigaStream with the given ports.
        public init(alias: String, ports: [TapPort], unreadablePorts: [String] = []) {
            self.alias = alias
            self.ports = ports
            self.unreadablePorts = unreadablePorts
        }
    }

    /// The ports traffic goes to: our GigaStream's ports when the map sends to it, the port(s) when
    /// it sends to ports, empty when there is no map or it sends elsewhere.
    public func sensorPorts() -> [TapPort] {
        switch map?.to {
        case .ports(let ports)?:
            return ports
        case .alias(let alias)? where gigastream?.alias == alias:
            return gigastream?.ports ?? []
        default:
            return []
        }
    }

    /// What running `TapPlan(ports:configuration:)` leaves on the device (gigavue-cli.md plan):
    /// nothing for 0 ports; a map `to` the port for 1; a GigaStream and a map `to` it for 2 or more.
    public static func expected(for ports: some Sequence<TapPort>, configuration: TapPlan.Configuration)
        -> ManagedConfiguration {
        let sorted = Set(ports).sorted()
        guard !sorted.isEmpty else { return ManagedConfiguration() }
        let from = Endpoint.alias(configuration.sourcePortGroup.value)
        guard sorted.count >= 2 else {
            return ManagedConfiguration(map: Map(alias: configuration.mapAlias.value, from: from, to: .ports(sorted)))
        }
        let stream = configuration.gigastreamAlias.value
        return ManagedConfiguration(
            map: Map(alias: configuration.mapAlias.value, from: from, to: .alias(stream)),
            gigastream: GigaStream(alias: stream, ports: sorted))
    }

    /// Whether the device already is what a plan for `ports` would make: the map and GigaStream equal
    /// `expected(for:configuration:)` and, when `setToolType` is on, no shown port type other than `tool`.
    /// `false` means drift: push the plan.
    public func matches(_ ports: [TapPort], configuration: TapPlan.Configuration) -> Bool {
        let expected = Self.expected(for: ports, configuration: configuration)
        guard map == expected.map, gigastream == expected.gigastream else { return false }
        guard configuration.setToolType else { return true }
        return sensorPorts().allSatisfy { portTypes[$0].map { $0 == "tool" } ?? true }
    }
}
