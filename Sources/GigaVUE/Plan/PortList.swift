import TroxileiaCore

/// The device's port-list syntax: ports and ranges, comma-separated, no spaces
/// (`1/1/x1..x4,1/1/x7`, gigavue-cli.md "Reading the device's state").
///
/// A range writes the port letter again on its end value (`1/1/x1..x4`, `2/1/c1x1..c1x4`); a full
/// end port (`1/1/x1..1/1/x4`) is accepted too, since leniency costs nothing here. A range spans
/// one box, slot and letter and counts either the port number or, when both ends are breakouts of
/// one port, the breakout. Pure; every function is safe on any input.
public enum PortList {
    /// The list as the device takes it: CLI form, sorted, unique, comma-separated, no spaces.
    public static func cliText(_ ports: some Sequence<TapPort>) -> String {
        Set(ports).sorted().map(\.cliName).joined(separator: ",")
    }

    /// Parses `text` strictly: the first bad element fails the whole list.
    ///
    /// Each element is read in CLI form (`1/1/x1`), or in label form (`1_1_x1`) when it holds `_`.
    /// - Parameter limit: the most ports the expanded list may hold; checked while expanding, so an
    ///   endless list cannot exhaust memory.
    /// - Returns: the ports sorted and unique.
    /// - Throws: `TapError.invalidPortList` naming the element and what is wrong with it.
    public static func parse(_ text: String, limit: Int) throws(TapError) -> [TapPort] {
        var ports = Set<TapPort>()
        let elements = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !(elements.count == 1 && elements[0].isEmpty) else { throw .invalidPortList(.empty) }
        for element in elements {
            for port in try expand(String(element)) {
                ports.insert(port)
                guard ports.count <= limit else { throw .invalidPortList(.tooManyPorts(limit: limit)) }
            }
        }
        return ports.sorted()
    }

    /// Parses `text` leniently, as read from a device: bad elements are set aside, not fatal.
    /// - Returns: the ports read (sorted, unique, at most `limit`) and each rejected element with
    ///   its reason.
    public static func parseLeniently(_ text: String, limit: Int)
        -> (ports: [TapPort], rejected: [(element: String, problem: Problem)]) {
        var ports = Set<TapPort>()
        var rejected: [(element: String, problem: Problem)] = []
        for element in text.split(separator: ",") {
            let shown = String(element.prefix(64))
            do {
                for port in try expand(String(element)) {
                    guard ports.count < limit || ports.contains(port) else {
                        rejected.append((shown, .tooManyPorts(limit: limit)))
                        return (ports.sorted(), rejected)
                    }
                    ports.insert(port)
                }
            } catch {
                if case .invalidPortList(let problem) = error { rejected.append((shown, problem)) }
            }
        }
        return (ports.sorted(), rejected)
    }

    /// One element: a port, or a range expanded to its ports (at most 128 by the grammar's bounds).
    static func expand(_ element: String) throws(TapError) -> [TapPort] {
        guard !element.isEmpty else { throw .invalidPortList(.empty) }
        let notation: TapPort.Notation = element.contains("_") ? .label : .cli
        let ends = element.split(separator: "..", omittingEmptySubsequences: false)
        guard ends.count <= 2 else { throw .invalidPortList(.badRange(element, reason: "a range has one \"..\"")) }
        let start = try port(String(ends[0]), notation: notation)
        guard ends.count == 2 else { return [start] }
        let endText = String(ends[1])
        let separator = notation.separator
        // `x4` is the documented end form; a full port (`1/1/x4`) is accepted as well.
        let fullEnd = endText.contains(separator) ? endText
            : "\(start.box)\(separator)\(start.slot)\(separator)\(endText)"
        let end = try port(fullEnd, notation: notation)
        return try span(from: start, to: end, element: element)
    }

    private static func port(_ text: String, notation: TapPort.Notation) throws(TapError) -> TapPort {
        switch TapPort.parse(text, notation: notation) {
        case .success(let port): return port
        case .failure(let error): throw .invalidPortList(.badPort(error))
        }
    }

    private static func span(from start: TapPort, to end: TapPort, element: String) throws(TapError) -> [TapPort] {
        guard start.box == end.box, start.slot == end.slot else {
            throw .invalidPortList(.badRange(element, reason: "both ends must be on the same box and slot"))
        }
        guard start.speed == end.speed else {
            throw .invalidPortList(.badRange(element, reason: "both ends must have the same port letter"))
        }
        guard end >= start else { throw .invalidPortList(.endBeforeStart(element)) }
        switch (start.breakout, end.breakout) {
        case (nil, nil):
            return (start.number...end.number).compactMap {
                TapPort(box: start.box, slot: start.slot, speed: start.speed, number: $0)
            }
        case (let first?, let last?) where start.number == end.number:
            return (first...last).compactMap {
                TapPort(box: start.box, slot: start.slot, speed: start.speed, number: start.number, breakout: $0)
            }
        default:
            throw .invalidPortList(.badRange(element, reason: "a breakout range counts the breakouts of one port, as in 2/1/c1x1..c1x4"))
        }
    }
}

extension PortList {
/// Why a port list cannot be read (carried by `TapError.invalidPortList`).
public enum Problem: Hashable, Sendable, CustomStringConvertible {
    /// The list or one of its elements is empty (`1/1/x1,,1/1/x2`).
    case empty
    /// An element is not a port; the port grammar's own error says why.
    case badPort(TapPortSyntaxError)
    /// A range's end sorts before its start (`1/1/x4..x1`).
    case endBeforeStart(String)
    /// A range spans boxes, slots or letters, or is otherwise malformed.
    case badRange(String, reason: String)
    /// The expanded list holds more ports than allowed.
    case tooManyPorts(limit: Int)

    /// One line for a person: what is wrong and with which element.
    public var description: String {
        switch self {
        case .empty: "empty port list or empty element between commas"
        case .badPort(let error): error.description
        case .endBeforeStart(let element): "invalid port range \"\(element)\": the end comes before the start"
        case .badRange(let element, let reason): "invalid port range \"\(element)\": \(reason)"
        case .tooManyPorts(let limit): "the port list expands to more than \(limit) ports"
        }
    }
}
}
