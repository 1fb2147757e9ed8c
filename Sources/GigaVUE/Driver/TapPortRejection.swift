import TroxileiaCore

/// A desired port the push leaves out of the set because the tap cannot take it (issue 15): the rest
/// of the set is pushed, and the reconciler reports this one on its node.
public struct TapPortRejection: Hashable, Sendable, CustomStringConvertible {
    /// Why the port is left out.
    public enum Reason: Hashable, Sendable {
        /// The chassis has no such port; `deviceText` is the device's own answer when it gave one
        /// (`% Port 1/3/x1 does not exist`).
        case unknownToDevice(deviceText: String?)
        /// The port is in the source port group: making it a tool port would cut the network traffic.
        case inSourceGroup(AliasName)
        /// The port is outside `--tool-ports`.
        case outsideToolPorts
        /// The device shows the port with a type that cannot carry tool traffic (a GigaSMART engine port).
        case unusableType(String)
    }

    /// The port.
    public let port: TapPort
    /// Why.
    public let reason: Reason

    /// A rejection.
    public init(port: TapPort, reason: Reason) {
        self.port = port
        self.reason = reason
    }

    /// `TapPortUnknown` when the device lacks the port, `TapPortRefused` otherwise (the Node Event's reason).
    public var eventReason: String {
        if case .unknownToDevice = reason { return "TapPortUnknown" }
        return "TapPortRefused"
    }

    /// "tap port 1/3/x1 left out: the tap has no such port (device: % Port 1/3/x1 does not exist)".
    public var description: String {
        let why: String
        switch reason {
        case .unknownToDevice(let text):
            why = "the tap has no such port" + (text.map { " (the tap answered: \($0))" } ?? "")
        case .inSourceGroup(let group):
            why = "it belongs to the source port group \(group.value), which carries the network traffic"
        case .outsideToolPorts:
            why = "it is outside --tool-ports"
        case .unusableType(let type):
            why = "the tap shows it as type \(type), which cannot receive tool traffic"
        }
        return "tap port \(port.cliName) left out: \(why); fix the node's port label"
    }
}

extension TapPolicy {
    /// Port types a sensor port may have before we set it to tool (gigavue-cli.md "Listing the device's ports").
    static let usableTypes: Set<String> = ["network", "tool", "hybrid", "inline-tool", ""]

    /// Splits `desired` into the ports the tap can take and those it cannot, checked against the
    /// source port group, `--tool-ports` and, when the device listed its ports, the chassis (issue 15).
    /// Pure: `deviceAnswers` are the device's own texts for missing ports, when asked.
    public func screen(_ desired: [TapPort], reading: TapReading,
                       deviceAnswers: [TapPort: String] = [:]) -> (usable: [TapPort], rejected: [TapPortRejection]) {
        let source = Set(reading.sourceGroupPorts ?? [])
        var usable: [TapPort] = []
        var rejected: [TapPortRejection] = []
        for port in Set(desired).sorted() {
            if source.contains(port) {
                rejected.append(TapPortRejection(port: port, reason: .inSourceGroup(plan.sourcePortGroup)))
            } else if let allowed = allowedToolPorts, !allowed.contains(port) {
                rejected.append(TapPortRejection(port: port, reason: .outsideToolPorts))
            } else if let listing = reading.portListing, !listing.contains(port) {
                rejected.append(TapPortRejection(port: port, reason: .unknownToDevice(deviceText: deviceAnswers[port])))
            } else if let type = reading.portListing?.types[port], !Self.usableTypes.contains(type) {
                rejected.append(TapPortRejection(port: port, reason: .unusableType(type)))
            } else {
                usable.append(port)
            }
        }
        return (usable, rejected)
    }
}
