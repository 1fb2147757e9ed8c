/// A secret (tap password, bearer token, key passphrase) that cannot leak by accident: it prints,
/// logs and interpolates as `<redacted>`, and its value is reachable only through `revealed`,
/// which makes every place that hands it to a C library or a header easy to find.
public struct SecretText: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret itself, for the one call that must send it.
    public var revealed: String { value }

    /// `true` when the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
