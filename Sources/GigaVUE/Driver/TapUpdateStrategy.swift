import Synchronization

/// How a push changes the tap (`--tap-update-strategy`, issue 15).
public enum TapUpdateStrategy: String, Hashable, Sendable, CaseIterable {
    /// In place where the live objects allow it, verified by reading back; on a `%` answer or a
    /// read-back that differs, the rebuild plan finishes the push in the same session and later pushes
    /// rebuild until restart. The default.
    case auto
    /// In place where the live objects allow it; a refusal fails the push (no fallback).
    case inPlace = "in-place"
    /// Always delete and create again (every sensor dark for the session, the original tool's way).
    case rebuild
}

extension TapPolicy {
    /// The plan to run first and the plan to finish with when the device refuses it (issue 15). Pure.
    /// - Parameter inPlaceRefused: the device refused an in-place plan earlier in this process.
    public func plans(for plan: TapPlan, current: ManagedConfiguration, inPlaceRefused: Bool)
        -> (first: TapPlan, fallback: TapPlan?) {
        switch updateStrategy {
        case .rebuild:
            return (plan, nil)
        case .inPlace:
            return (plan.inPlace(from: current) ?? plan, nil)
        case .auto:
            guard !inPlaceRefused, let inPlace = plan.inPlace(from: current) else { return (plan, nil) }
            return (inPlace, plan)
        }
    }
}

/// What the device answered when it refused an in-place plan, kept until the process ends so `auto`
/// goes straight to the rebuild plan afterwards (issue 15). Shared by every copy of a driver.
public final class InPlaceRefusal: Sendable {
    private let answer = Mutex<String?>(nil)

    /// Nothing refused yet.
    public init() {}

    /// The device's answer, `nil` while in-place edits were never refused.
    public var deviceAnswer: String? { answer.withLock { $0 } }

    /// Remembers the refusal (the first answer stays).
    func record(_ text: String) {
        answer.withLock { if $0 == nil { $0 = text } }
    }
}
