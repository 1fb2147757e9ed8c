/// A physical port of the GigaVUE tap, `BOX/SLOT/PORT` on the device (`1/1/x1`).
///
/// Values exist only when they satisfy the grammar of `gigavue-cli.md` (box 1–255, slot 1–32,
/// letter g/x/q/c, number 1–128, breakout 1–4 on q and c only), so anything built from a
/// `TapPort` — a CLI command, a label value — is safe to send. Ordering is box, slot, speed
/// letter, number, breakout: the order an operator reads a port list in.
public struct TapPort: Hashable, Comparable, Sendable {
    /// Chassis box id (`chassis box-id N`), 1–255.
    public let box: Int
    /// Line card slot, 1–32.
    public let slot: Int
    /// Speed class, from the port letter.
    public let speed: PortSpeed
    /// Port number on the card, 1–128.
    public let number: Int
    /// Breakout sub-port 1–4 (`q1x2` is breakout 2 of q1), only on q and c ports.
    public let breakout: Int?

    /// The grammar's bounds, in one place so messages and checks agree (`gigavue-cli.md`, "Our accepted grammar").
    public enum Bounds {
        public static let box = 1...255
        public static let slot = 1...32
        public static let number = 1...128
        public static let breakout = 1...4
    }

    /// Makes a port from its parts, or `nil` when a part is out of the grammar's bounds.
    public init?(box: Int, slot: Int, speed: PortSpeed, number: Int, breakout: Int? = nil) {
        guard Bounds.box.contains(box), Bounds.slot.contains(slot), Bounds.number.contains(number) else {
            return nil
        }
        if let breakout {
            guard speed.allowsBreakout, Bounds.breakout.contains(breakout) else { return nil }
        }
        self.box = box
        self.slot = slot
        self.speed = speed
        self.number = number
        self.breakout = breakout
    }

    /// The port part alone: `x1`, `q3x2`.
    public var portName: String {
        var name = "\(speed.rawValue)\(number)"
        if let breakout { name += "x\(breakout)" }
        return name
    }

    /// The device's form, `1/1/x1`: what the tap CLI takes.
    public var cliName: String { "\(box)/\(slot)/\(portName)" }

    /// The Kubernetes label form, `1_1_x1` (label values cannot hold `/`).
    public var labelValue: String { "\(box)_\(slot)_\(portName)" }

    public static func < (lhs: TapPort, rhs: TapPort) -> Bool {
        (lhs.box, lhs.slot, lhs.speed.order, lhs.number, lhs.breakout ?? 0)
            < (rhs.box, rhs.slot, rhs.speed.order, rhs.number, rhs.breakout ?? 0)
    }
}

extension TapPort: CustomStringConvertible {
    /// The device's form, `1/1/x1`.
    public var description: String { cliName }
}

/// The speed class a port letter names (`gigavue-cli.md`, "Port identifiers").
public enum PortSpeed: Character, CaseIterable, Sendable {
    case gigabit = "g"
    case tenGigabit = "x"
    case fortyGigabit = "q"
    case hundredGigabit = "c"

    /// Only 40G and 100G ports split into breakout sub-ports.
    public var allowsBreakout: Bool { self == .fortyGigabit || self == .hundredGigabit }

    /// Human name for messages: `10G`.
    public var displayName: String {
        switch self {
        case .gigabit: "1G"
        case .tenGigabit: "10G"
        case .fortyGigabit: "40G"
        case .hundredGigabit: "100G"
        }
    }

    var order: Int {
        switch self {
        case .gigabit: 0
        case .tenGigabit: 1
        case .fortyGigabit: 2
        case .hundredGigabit: 3
        }
    }
}
