// Two entry points, chosen at compile time. libFuzzer brings its own `main`, so the fuzz build
// (`make fuzz`, `-D FUZZING`) must define none: this target has no `main.swift` and no top-level
// code, and the `@main` replay command below is compiled out. A normal build (CI, debug replay)
// gets the replay command instead, so the target still builds and is useful everywhere.

import FuzzSupport

#if FUZZING

/// libFuzzer's per-input callback: runs every check on the input and traps on a broken
/// invariant, so libFuzzer saves the input as a crash. Crashes, hangs and ASan reports inside
/// the parsers are caught by libFuzzer directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.testOneInput(data, size) { FuzzChecks.run($0).violations }
}

#else

/// `troxileia-fuzz FILE...`: replays saved inputs (corpus entries, libFuzzer crash files)
/// through the same checks as the fuzz target, in whatever build it was compiled in, and
/// prints what each part produced. Exits 1 when an invariant is broken or a file is
/// unreadable, 2 on a usage error; a crash in the parsers crashes here too, with a stack.
@main
struct ReplayCommand {
    /// Replays every file named on the command line, in order.
    static func main() {
        FuzzHarness.replayCommand(tool: "troxileia-fuzz") { path, bytes in
            let result = FuzzChecks.run(bytes)
            return (ReplayReport.lines(for: result, path: path, size: bytes.count), !result.violations.isEmpty)
        }
    }
}

#endif
