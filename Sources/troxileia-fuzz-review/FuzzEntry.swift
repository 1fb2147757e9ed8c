// Two entry points, chosen at compile time, as in troxileia-fuzz: libFuzzer's callback under
// `-D FUZZING` (`make fuzz`), a replay command otherwise. See Tests/Fuzz/README.md.

import FuzzSupport

#if FUZZING

/// libFuzzer's per-input callback: the input is an AdmissionReview body; a broken invariant
/// aborts so libFuzzer saves the input as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzHarness.testOneInput(data, size) { ReviewChecks.run($0).violations }
}

#else

/// `troxileia-fuzz-review FILE...`: replays saved bodies through the same checks and prints, per
/// file, whether it decoded and how the webhook answered; the last line counts the decodable
/// reviews (how far a corpus reaches into the decoder). Exits 1 on a broken invariant or an
/// unreadable file, 2 on a usage error.
@main
struct ReplayCommand {
    /// Replays every file named on the command line, in order.
    static func main() {
        nonisolated(unsafe) var decoded = 0, total = 0
        FuzzHarness.replayCommand(tool: "troxileia-fuzz-review", replay: { path, bytes in
            let result = ReviewChecks.run(bytes)
            total += 1
            var lines: [String]
            switch result.review {
            case .success(let review):
                decoded += 1
                lines = ["\(path): review \(review.uid.prefix(40)) \(review.operation ?? "-") -> \(result.response.status)"]
            case .failure(let error):
                lines = ["\(path): \(error.description.prefix(120)) -> \(result.response.status)"]
            }
            lines += result.violations.map { "  VIOLATION: \($0)" }
            return (lines, !result.violations.isEmpty)
        }, summary: { ["\(decoded) of \(total) inputs are decodable AdmissionReviews"] })
    }
}

#endif
