import TroxileiaCore

extension TapPlan {
    /// The in-place form of this plan for a device showing `current` (issue 15; gigavue-cli.md
    /// "Changing a GigaStream in place", model), or `nil` when the live objects cannot be edited and
    /// only the rebuild plan applies. Pure.
    ///
    /// Possible when our map exists, reads `from` our source port group, holds no foreign line and
    /// sends `to` our GigaStream or to ports; then, with the added ports set to tool first:
    /// - 2+ → 2+ ports: `gigastream alias G port-list NEW` only; the map is not touched.
    /// - 1 → 2+: the GigaStream is made, then the map's `to` moves to it.
    /// - 2+ → 1, 1 → 1: the map's `to` moves to the port, then the GigaStream is deleted.
    /// - any → 0: the two deletions (nothing stays, so nothing is kept lit).
    /// A map sending nowhere yet (0 → N) has nothing to keep: the rebuild plan is as good.
    public func inPlace(from current: ManagedConfiguration) -> TapPlan? {
        guard let map = current.map, !map.hasForeignLines,
              map.from == .alias(configuration.sourcePortGroup.value) else { return nil }
        let stream = configuration.gigastreamAlias
        let sendsToStream = map.to == .alias(stream.value) && current.gigastream.map { $0.unreadablePorts.isEmpty } == true
        let sendsToPorts: Bool
        if case .ports(let ports)? = map.to, !ports.isEmpty { sendsToPorts = true } else { sendsToPorts = false }
        guard sendsToStream || sendsToPorts else { return nil }
        let live = Set(current.sensorPorts())
        let added = ports.filter { !live.contains($0) }
        var commands: [TapCommand] = []
        // Added ports only: the ports that stay are tool ports already (they carry traffic).
        if configuration.setToolType, !added.isEmpty {
            commands.append(.setToolType(added))
        }
        switch ports.count {
        case 0:
            commands += [.deleteMap(configuration.mapAlias), .deleteGigaStream(stream)]
        case 1:
            commands += [.enterMap(configuration.mapAlias), .to(ports[0]), .exit]
            if current.gigastream != nil { commands.append(.deleteGigaStream(stream)) }
        default:
            commands.append(.createGigaStream(stream, ports: ports))
            if !sendsToStream {
                commands += [.enterMap(configuration.mapAlias), .to(stream), .exit]
            }
        }
        if configuration.save {
            commands.append(.writeMemory)
        }
        return TapPlan(ports: ports, configuration: configuration, commands: commands, kind: .inPlace)
    }
}
