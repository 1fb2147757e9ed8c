/// Durations as Kubernetes and Go write them: `500ms`, `3s`, `5m`, `1h30m`, `1.5s`.
///
/// Used for flags and the `troxileia.io/pod-not-ready-timeout` annotation, so one grammar
/// applies everywhere. Units: `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h`; a bare `0` is zero.
public enum DurationText {
    /// Parses `text`; `nil` when it is not a non-negative duration of at most 10,000 hours.
    public static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var total: Double = 0
        var rest = Substring(text)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != ".", let value = Double(number) else {
                return nil
            }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unit.count)
            let seconds: Double
            switch unit {
            case "ns": seconds = 1e-9
            case "us", "µs": seconds = 1e-6
            case "ms": seconds = 1e-3
            case "s": seconds = 1
            case "m": seconds = 60
            case "h": seconds = 3600
            default: return nil
            }
            total += value * seconds
        }
        guard total <= 10_000 * 3600 else { return nil }
        return .nanoseconds(Int64((total * 1e9).rounded()))
    }

    /// The shortest readable form: `500ms`, `3s`, `5m0s` → `5m`, `1h30m`.
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if nanoseconds == 0 { return "0s" }
        if nanoseconds % 1_000_000_000 != 0 || nanoseconds < 1_000_000_000 {
            if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
            return "\(Double(nanoseconds) / 1e9)s"
        }
        var seconds = nanoseconds / 1_000_000_000
        var text = ""
        if seconds >= 3600 { text += "\(seconds / 3600)h"; seconds %= 3600 }
        if seconds >= 60 { text += "\(seconds / 60)m"; seconds %= 60 }
        if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
        return text
    }
}
