// Two entry points, chosen at compile time. libFuzzer brings its own `main`, so the fuzz build
// (`make fuzz`, `-D FUZZING`) must define none: this target has no `main.swift` and no top-level
// code, and the `@main` replay command below is compiled out. A normal build (CI, debug replay)
// gets the replay command instead, so the target still builds and is useful everywhere.

#if FUZZING

import Foundation

/// libFuzzer's per-input callback: runs every check on the input and traps on a broken
/// invariant, so libFuzzer saves the input as a crash. Crashes, hangs and ASan reports inside
/// the parsers are caught by libFuzzer directly.
/// - Returns: 0 always; libFuzzer reserves other values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let result = FuzzChecks.run(bytes)
    if !result.violations.isEmpty {
        // A broken invariant must end the run like a crash, so libFuzzer saves the input as the
        // reproducer: say why on standard error, then abort (libFuzzer reports SIGABRT as a crash).
        FileHandle.standardError.write(Data(("invariant broken:\n" + result.violations.joined(separator: "\n") + "\n").utf8))
        abort()
    }
    return 0
}

#else

import Foundation

/// `troxileia-fuzz FILE...`: replays saved inputs (corpus entries, libFuzzer crash files)
/// through the same checks as the fuzz target, in whatever build it was compiled in, and
/// prints what each part produced. Exits 1 when an invariant is broken or a file is
/// unreadable, 2 on a usage error; a crash in the parsers crashes here too, with a stack.
@main
struct ReplayCommand {
    /// Replays every file named on the command line, in order.
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty, !paths.contains(where: { $0.hasPrefix("-") }) else {
            print("usage: troxileia-fuzz FILE...   (replay; build with -D FUZZING for libFuzzer)")
            exit(2)
        }
        var failed = false
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read the file")
                failed = true
                continue
            }
            let result = FuzzChecks.run(Array(data))
            print(ReplayReport.lines(for: result, path: path, size: data.count).joined(separator: "\n"))
            failed = failed || !result.violations.isEmpty
        }
        exit(failed ? 1 : 0)
    }
}

#endif
