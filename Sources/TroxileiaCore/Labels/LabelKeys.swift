/// The label keys that carry the contract with cluster operators (DESIGN.md "Labels").
///
/// Configurable because some clusters already use `port` or `sensor` for something else.
public struct LabelKeys: Hashable, Sendable {
    /// Key of the sensor flag; default `sensor`.
    public var sensor: String
    /// Key of the tap port; default `port`.
    public var port: String

    /// The documented defaults, `sensor` and `port`.
    public static let `default` = LabelKeys(sensor: "sensor", port: "port")

    public init(sensor: String = "sensor", port: String = "port") {
        self.sensor = sensor
        self.port = port
    }
}

extension LabelKeys {
    /// Checks both keys are valid Kubernetes label keys (`[prefix/]name`, name 1–63 characters of
    /// `[A-Za-z0-9._-]` starting and ending alphanumeric, prefix a DNS subdomain) and differ.
    public func validate() throws(LabelKeyError) {
        for (role, key) in [("sensor", sensor), ("port", port)] {
            if let problem = Self.problem(with: key) { throw LabelKeyError(role: role, key: key, problem: problem) }
        }
        if sensor == port { throw LabelKeyError(role: "port", key: port, problem: "it is the same as the sensor label key") }
    }

    /// What is wrong with `key` as a Kubernetes label key, `nil` when it is valid (also used for
    /// `--sensor-app-label-key`).
    public static func problem(with key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "a label key has at most one \"/\"" }
        let name = parts.last ?? ""
        if name.isEmpty || name.utf8.count > 63 { return "the name part must be 1–63 characters" }
        let isAlphanumeric = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber) }
        guard name.allSatisfy({ isAlphanumeric($0) || "-_.".contains($0) }),
              let first = name.first, let last = name.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return "the name part must be letters, digits, \"-\", \"_\" or \".\", starting and ending with a letter or digit"
        }
        if parts.count == 2 {
            let prefix = parts[0]
            guard !prefix.isEmpty, prefix.utf8.count <= 253,
                  prefix.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ label in
                      !label.isEmpty && label.utf8.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
                          && label.first != "-" && label.last != "-"
                  }) else {
                return "the prefix must be a DNS subdomain (lower case, e.g. example.com)"
            }
        }
        return nil
    }
}

/// A label key that Kubernetes would refuse.
public struct LabelKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which key: `sensor` or `port`.
    public let role: String
    /// The rejected key.
    public let key: String
    /// What is wrong with it.
    public let problem: String

    public var description: String { "invalid \(role) label key \"\(key)\": \(problem)" }
}
