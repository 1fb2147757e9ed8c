// Two entry points, chosen at compile time, as in troxileia-fuzz: libFuzzer's callback under
// `-D FUZZING` (`make fuzz`), a replay command otherwise. See Tests/Fuzz/README.md.

#if FUZZING

import Foundation

/// libFuzzer's per-input callback: the input is an AdmissionReview body; a broken invariant
/// aborts so libFuzzer saves the input as a crash.
/// - Returns: 0 always; libFuzzer reserves other values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let result = ReviewChecks.run(Array(UnsafeBufferPointer(start: data, count: size)))
    if !result.violations.isEmpty {
        FileHandle.standardError.write(Data(("invariant broken:\n" + result.violations.joined(separator: "\n") + "\n").utf8))
        abort()
    }
    return 0
}

#else

import Foundation

/// `troxileia-fuzz-review FILE...`: replays saved bodies through the same checks and prints, per
/// file, whether it decoded and how the webhook answered; the last line counts the decodable
/// reviews (how far a corpus reaches into the decoder). Exits 1 on a broken invariant or an
/// unreadable file, 2 on a usage error.
@main
struct ReplayCommand {
    /// Replays every file named on the command line, in order.
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty, !paths.contains(where: { $0.hasPrefix("-") }) else {
            print("usage: troxileia-fuzz-review FILE...   (replay; build with -D FUZZING for libFuzzer)")
            exit(2)
        }
        var failed = false
        var decoded = 0
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read the file")
                failed = true
                continue
            }
            let result = ReviewChecks.run(Array(data))
            switch result.review {
            case .success(let review):
                decoded += 1
                print("\(path): review \(review.uid.prefix(40)) \(review.operation ?? "-") -> \(result.response.status)")
            case .failure(let error):
                print("\(path): \(error.description.prefix(120)) -> \(result.response.status)")
            }
            for violation in result.violations { print("  VIOLATION: \(violation)") }
            failed = failed || !result.violations.isEmpty
        }
        print("\(decoded) of \(paths.count) inputs are decodable AdmissionReviews")
        exit(failed ? 1 : 0)
    }
}

#endif
