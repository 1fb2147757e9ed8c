import Foundation

/// What the fuzz targets share: libFuzzer's callback body and the replay command's loop. Each target
/// keeps its own `@_cdecl("LLVMFuzzerTestOneInput")` (one per executable) and `@main`, and hands
/// them its checks.
public enum FuzzHarness {
    /// libFuzzer's per-input work: runs `check` on the input and aborts on a broken invariant, so
    /// libFuzzer saves the input as the reproducer (it reports SIGABRT as a crash).
    /// - Returns: 0 always; libFuzzer reserves other values.
    public static func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int, check: ([UInt8]) -> [String]) -> CInt {
        let violations = check(Array(UnsafeBufferPointer(start: data, count: size)))
        if !violations.isEmpty {
            FileHandle.standardError.write(Data(("invariant broken:\n" + violations.joined(separator: "\n") + "\n").utf8))
            abort()
        }
        return 0
    }

    /// The replay command: runs `replay` on every file named on the command line and prints its
    /// lines, then `summary`'s. Exits 1 when an invariant broke or a file is unreadable, 2 on a
    /// usage error (no file, or an option: libFuzzer's flags mean a fuzz build was expected).
    /// - Parameter replay: the report lines for one file and whether it broke an invariant.
    public static func replayCommand(tool: String, replay: (String, [UInt8]) -> (lines: [String], broken: Bool),
                                     summary: () -> [String] = { [] }) -> Never {
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty, !paths.contains(where: { $0.hasPrefix("-") }) else {
            print("usage: \(tool) FILE...   (replay; build with -D FUZZING for libFuzzer)")
            exit(2)
        }
        var failed = false
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read the file")
                failed = true
                continue
            }
            let (lines, broken) = replay(path, Array(data))
            print(lines.joined(separator: "\n"))
            failed = failed || broken
        }
        for line in summary() { print(line) }
        exit(failed ? 1 : 0)
    }
}
