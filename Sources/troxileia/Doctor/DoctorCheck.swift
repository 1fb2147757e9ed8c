/// One line of `troxileia doctor`: what was checked, whether it passed, and for a failure what to do.
struct DoctorCheck: Sendable {
    enum Outcome: String, Sendable {
        case pass = "PASS"
        case warn = "WARN"
        case fail = "FAIL"
        /// Not checked, for want of a setting; the hint names it. Never fails the run.
        case skip = "SKIP"
    }

    let outcome: Outcome
    let name: String
    let detail: String
    /// What to do; empty for a pass.
    let hint: String

    static func pass(_ name: String, _ detail: String = "") -> DoctorCheck {
        DoctorCheck(outcome: .pass, name: name, detail: detail, hint: "")
    }

    static func warn(_ name: String, _ detail: String, hint: String) -> DoctorCheck {
        DoctorCheck(outcome: .warn, name: name, detail: detail, hint: hint)
    }

    static func fail(_ name: String, _ detail: String, hint: String) -> DoctorCheck {
        DoctorCheck(outcome: .fail, name: name, detail: detail, hint: hint)
    }

    static func skip(_ name: String, _ detail: String, hint: String) -> DoctorCheck {
        DoctorCheck(outcome: .skip, name: name, detail: detail, hint: hint)
    }

    /// `PASS  name: detail`, and an indented `hint:` line for a warning, failure or skip.
    var rendered: String {
        var text = "\(outcome.rawValue)  \(name)" + (detail.isEmpty ? "" : ": \(detail)")
        if !hint.isEmpty { text += "\n      hint: \(hint)" }
        return text
    }
}
