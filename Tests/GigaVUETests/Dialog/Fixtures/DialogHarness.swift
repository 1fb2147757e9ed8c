import GigaVUE
import TroxileiaCore

/// Drives a `CLIDialog` with scripted device bytes and a test clock that only moves when told.
struct DialogHarness {
    static let host = "gv-tap.lab-1"
    static let userPrompt = "\(host) > "
    static let enablePrompt = "\(host) # "
    static let configPrompt = "\(host) (config) # "

    var dialog: CLIDialog
    var now: ContinuousClock.Instant
    /// Every action returned so far.
    var actions: [CLIDialog.Action] = []
    /// Split every chunk into single bytes before feeding it.
    var singleBytes = false

    init(commands: [TapCommand], configuration: CLIDialog.Configuration = .init(), singleBytes: Bool = false) {
        now = ContinuousClock.now
        dialog = CLIDialog(commands: commands, configuration: configuration, now: now)
        self.singleBytes = singleBytes
    }

    /// Feeds `text` (CRLF line ends as a PTY sends them) after `after` has passed; returns the new actions.
    @discardableResult
    mutating func device(_ text: String, after: Duration = .milliseconds(5)) -> [CLIDialog.Action] {
        now += after
        let bytes = Array(text.replacingCRLF.utf8)
        var new: [CLIDialog.Action] = []
        if singleBytes {
            for byte in bytes { new += dialog.received(bytes: [byte], now: now) }
        } else {
            new = dialog.received(bytes: bytes, now: now)
        }
        actions += new
        return new
    }

    /// Moves the clock by `duration` and ticks.
    @discardableResult
    mutating func advance(_ duration: Duration) -> [CLIDialog.Action] {
        now += duration
        let new = dialog.tick(now: now)
        actions += new
        return new
    }

    /// The device echoes `command`, prints `output` and shows `prompt`.
    @discardableResult
    mutating func answer(_ command: String, output: String = "", prompt: String) -> [CLIDialog.Action] {
        device("\(command)\n\(output)\(prompt)")
    }

    /// Logs in and gets through enable, paging and configure terminal the simple way.
    mutating func reachConfigMode(banner: String = "") {
        device(banner + Self.userPrompt)
        answer("enable", prompt: Self.enablePrompt)
        answer("cli session terminal length 999", prompt: Self.enablePrompt)
        answer("configure terminal", prompt: Self.configPrompt)
    }

    /// Every text the actions asked to send, secrets as their description.
    var sent: [String] {
        actions.compactMap {
            switch $0 {
            case .send(let text): text
            case .sendSecret(let secret): "\(secret)"
            default: nil
            }
        }
    }

    /// The failure, if the dialog failed.
    var failure: DialogError? {
        actions.lazy.compactMap { if case .failed(let error) = $0 { error } else { nil } }.first
    }
}

extension String {
    var replacingCRLF: String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }
}
