/// JSON merge patch (RFC 7386), what `application/merge-patch+json` PATCHes apply.
public enum MergePatch {
    /// `patch` applied to `target`: objects merge member by member, `null` removes a member,
    /// anything else replaces. New members go after the existing ones, keeping the target's order.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: JSONValue = if case .object = target { target } else { .object([]) }
        for (key, value) in patchMembers {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return result
    }
}
