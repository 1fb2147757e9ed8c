import Foundation

/// Command-line options of `troxileia-kube-bench`, parsed by hand (the target has no argument parser).
struct BenchOptions: Sendable {
    /// API server base URL, e.g. `http://127.0.0.1:8080` (plain http only to loopback); empty when
    /// the server comes from a kubeconfig.
    var server = ""
    /// Kubeconfig file, read with `troxileia`'s own loader (issue 18: the benchmark against a real cluster).
    var kubeconfig: String?
    /// Kubeconfig context (default: the current context).
    var context: String?
    /// Ask for gzip-compressed responses (`Accept-Encoding: gzip`; `--gzip false` to measure without).
    var gzip = true
    /// Sync by watch-list where the server supports it (`--watch-list false`: paginated lists
    /// only), as `troxileia run --watch-list auto|off`.
    var watchList = true
    /// Server-side label selector for the pod reflector.
    var podSelector = "app in (zeek)"
    /// Namespace of the pods, or `nil` for all namespaces.
    var podNamespace: String?
    /// Seconds to wait after sync, watches running, before reading the steady RSS.
    var steadySeconds = 5.0
    /// Seconds after which the benchmark gives up waiting for sync (or for the watch phase).
    var timeoutSeconds = 120.0
    /// `KEY=VALUE`: after the steady phase, wait until `watchCount` nodes carry this label.
    var watchLabel: (key: String, value: String)?
    /// How many nodes must carry `watchLabel` before the watch phase ends.
    var watchCount = 0

    static let usage = """
        usage: troxileia-kube-bench (--server URL | --kubeconfig FILE [--context NAME]) [--gzip true|false] [--watch-list true|false] [--pod-selector SEL] [--pod-namespace NS] [--steady-seconds S]
                                    [--timeout-seconds S] [--watch-label KEY=VALUE --watch-count N]
        """

    /// Parses `arguments` (without the program name).
    /// - Throws: `BenchError.usage` naming the bad or missing option.
    init(arguments: [String]) throws(BenchError) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--server": server = value
            case "--kubeconfig": kubeconfig = value
            case "--context": context = value
            case "--gzip":
                guard let flag = Bool(value) else { throw .usage("--gzip must be true or false") }
                gzip = flag
            case "--watch-list":
                guard let flag = Bool(value) else { throw .usage("--watch-list must be true or false") }
                watchList = flag
            case "--pod-selector": podSelector = value
            case "--pod-namespace": podNamespace = value.isEmpty ? nil : value
            case "--steady-seconds": steadySeconds = try Self.number(value, flag)
            case "--timeout-seconds": timeoutSeconds = try Self.number(value, flag)
            case "--watch-count":
                guard let count = Int(value), count > 0 else { throw .usage("\(flag) must be a positive integer") }
                watchCount = count
            case "--watch-label":
                guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                    throw .usage("\(flag) must look like KEY=VALUE")
                }
                watchLabel = (String(value[..<equals]), String(value[value.index(after: equals)...]))
            default: throw .usage("unknown option \(flag)")
            }
        }
        guard server.isEmpty != (kubeconfig == nil && context == nil) else {
            throw .usage("give either --server or --kubeconfig/--context")
        }
        guard (watchLabel == nil) == (watchCount == 0) else { throw .usage("--watch-label and --watch-count go together") }
    }

    private static func number(_ text: String, _ flag: String) throws(BenchError) -> Double {
        guard let value = Double(text), value >= 0, value.isFinite else { throw .usage("\(flag) must be a number ≥ 0") }
        return value
    }
}

/// Why the benchmark stopped early.
enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case timeout(String)

    var description: String {
        switch self {
        case .usage(let text): "\(text)\n\(BenchOptions.usage)"
        case .timeout(let text): "timed out: \(text)"
        }
    }
}

/// Memory figures from `/proc/self/status`, in KiB.
struct ProcessMemory: Sendable {
    /// `VmRSS`: resident now.
    var residentKiB = 0
    /// `VmHWM`: the resident peak so far.
    var peakKiB = 0

    /// Reads the current figures; zero where the file or a field is missing.
    static func current() -> ProcessMemory {
        var memory = ProcessMemory()
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return memory }
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let value = Int(fields[1]) else { continue }
            switch fields[0] {
            case "VmRSS:": memory.residentKiB = value
            case "VmHWM:": memory.peakKiB = value
            default: break
            }
        }
        return memory
    }
}

/// Seconds between two instants, as a `Double`.
func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}

/// Seconds since the Unix epoch (wall clock, to line up with the driving script's timestamps).
func epochSeconds() -> Double { Date().timeIntervalSince1970 }

/// Writes one line to standard output at once (the driving script reads it while we keep running).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
