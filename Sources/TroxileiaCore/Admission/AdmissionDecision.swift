/// The answer to one admission request: allowed or denied, with warnings either way.
public struct AdmissionDecision: Hashable, Sendable {
    /// Set when the request is refused.
    public var denial: AdmissionDenial?
    /// Messages `kubectl` prints as `Warning: …`, in order.
    public var warnings: [String]
    /// The port this request newly claims for its node (set or changed, valid, admitted): the
    /// webhook reserves it so a concurrent claim by another node is refused.
    public var claimedPort: TapPort?

    /// `true` unless denied.
    public var isAllowed: Bool { denial == nil }

    /// Allowed, with `warnings`.
    public static func allowed(warnings: [String] = [], claiming port: TapPort? = nil) -> AdmissionDecision {
        AdmissionDecision(denial: nil, warnings: warnings, claimedPort: port)
    }

    /// Denied with `denial`, with `warnings`.
    public static func denied(_ denial: AdmissionDenial, warnings: [String] = []) -> AdmissionDecision {
        AdmissionDecision(denial: denial, warnings: warnings, claimedPort: nil)
    }
}

/// Why a request is refused, in words a person can act on.
public struct AdmissionDenial: Hashable, Sendable {
    /// Machine-readable reason (`status.reason` in the AdmissionReview, a metric label).
    public var reason: AdmissionDenialReason
    /// What is wrong and what to do; `kubectl` prints it after "denied the request:".
    public var message: String

    public init(reason: AdmissionDenialReason, message: String) {
        self.reason = reason
        self.message = message
    }
}

/// The kinds of denial, named as they appear in `status.reason` and metrics.
public enum AdmissionDenialReason: String, Sendable, CaseIterable {
    case invalidTapPort = "InvalidTapPort"
    case invalidSensorValue = "InvalidSensorValue"
    case duplicateTapPort = "DuplicateTapPort"
    /// The port's claim could not be recorded in the API server (`--claim-failure deny`).
    case portClaimUnavailable = "PortClaimUnavailable"
}
