/// One line of `troxileia doctor`: what was checked, whether it passed, and for a failure what to do.
struct DoctorCheck: Sendable {
    enum Outcome: String, Sendable {
        case pass = "PASS"
        case warn = "WARN"
        case fail = "FAIL"
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

    /// `PASS  name: detail`, and an indented `hint:` line for a warning or failure.
    var rendered: String {
        var text = "\(outcome.rawValue)  \(name)" + (detail.isEmpty ? "" : ": \(detail)")
        if !hint.isEmpty { text += "\n      hint: \(hint)" }
        return text
    }
}
