/// The value of the `sensor` label: exactly `"true"` or `"false"`, absent meaning false.
///
/// Kubernetes label values are strings and nothing else reads them as booleans, so only the two
/// canonical spellings are accepted: `True`, `yes` or `1` would be read differently by other tools.
public enum SensorFlag {
    /// Reads the label value; `nil` (label absent) is `false`.
    public static func parse(_ value: String?) -> Result<Bool, SensorFlagError> {
        switch value {
        case nil, "false": .success(false)
        case "true": .success(true)
        case let value?: .failure(SensorFlagError(input: TapPortParser.shown(value)))
        }
    }
}

/// A `sensor` label value other than `true` or `false`.
public struct SensorFlagError: Error, Hashable, Sendable {
    /// The rejected value (capped for display).
    public let input: String

    /// What is wrong, for a person.
    public var problem: String {
        input.isEmpty ? "the value is empty" : "\"\(input)\" is neither \"true\" nor \"false\""
    }

    /// What to write instead: the canonical spelling when the intent is clear.
    public var hint: String {
        switch input.lowercased() {
        case "true", "yes", "y", "on", "1": "write true (the accepted values are true and false)"
        case "false", "no", "n", "off", "0": "write false, or remove the label (the accepted values are true and false)"
        default: "the accepted values are true and false; an absent label means false"
        }
    }

    /// `problem; hint`, for a single-line message.
    public var message: String { "\(problem); \(hint)" }
}

extension SensorFlagError: CustomStringConvertible {
    public var description: String { "invalid sensor value \"\(input)\": \(message)" }
}
