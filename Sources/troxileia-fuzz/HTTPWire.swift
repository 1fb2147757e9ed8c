import HTTPServerCore
import Webhook

/// Ways of feeding and rebuilding HTTP requests that the fuzz oracles compare against
/// ``HTTPRequestParser/parseAll(_:configuration:)``.
///
/// Written from the public API only (no `@testable import`), so the same code runs in the
/// release build libFuzzer needs and in the debug build used to replay findings.
enum HTTPWire {
    /// Limits so small that ordinary inputs hit them: the 431 and 413 paths and the limit
    /// offsets get exercised without the fuzzer having to grow inputs to 16 KiB or 7 MiB.
    static let tinyConfiguration = HTTPRequestParser.Configuration(maxHeaderBytes: 256, maxBodyBytes: 1024)

    /// No practical limit: a re-serialized request may be a little longer than the original
    /// (`a:b` comes back as `a: b`), and the limits are not what that oracle checks.
    static let unlimitedConfiguration = HTTPRequestParser.Configuration(maxHeaderBytes: .max, maxBodyBytes: .max)

    /// Inputs up to this size are also fed one byte per `append`: every byte boundary is a
    /// split point then, yet the cost stays a few thousand parser calls per input.
    static let byteByByteLimit = 1024

    /// What must not depend on how the bytes were split: requests and the final error.
    /// `.expectContinue` does depend on it (it is only returned while the body is missing), and
    /// `.needMoreData` only says a chunk was used up.
    static func outcomes(_ events: [HTTPParseEvent]) -> [HTTPParseEvent] {
        events.filter { $0 != .expectContinue && $0 != .needMoreData }
    }

    /// Drives one parser the way the socket server does: append a chunk, call `next()` until it
    /// waits or fails, repeat. Stops at the first error, as the server closes the connection.
    static func events(ofChunks chunks: [ArraySlice<UInt8>],
                       configuration: HTTPRequestParser.Configuration) -> [HTTPParseEvent] {
        var parser = HTTPRequestParser(configuration: configuration)
        var events: [HTTPParseEvent] = []
        for chunk in chunks {
            parser.append(Array(chunk))
            while true {
                let event = parser.next()
                events.append(event)
                if case .error = event { return events }
                if event == .needMoreData { break }
            }
        }
        return events
    }

    /// `bytes` cut at `offset` into two chunks (either may be empty).
    static func split(_ bytes: [UInt8], at offset: Int) -> [ArraySlice<UInt8>] {
        [bytes[..<offset], bytes[offset...]]
    }

    /// A split offset in `0...bytes.count` derived from the bytes themselves (FNV-1a), so a
    /// finding replays with the same split while different inputs get different splits.
    static func splitOffset(for bytes: [UInt8]) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int(hash % UInt64(bytes.count + 1))
    }

    /// The request as a client would send it: request line, one line per field in order, the
    /// empty line, the body. Field values come out of the parser trimmed of surrounding
    /// whitespace, so `name: value` parses back to the same value.
    static func serialize(_ request: HTTPRequest) -> [UInt8] {
        var text = "\(request.method) \(request.target) \(request.version)\r\n"
        for field in request.headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + request.body
    }

    /// The body length the request's Content-Length fields declare, 0 without one, nil when a
    /// value is not a decimal number. Reads only the first member: the parser has already
    /// refused requests whose members disagree, which the body-length oracle then confirms.
    static func declaredContentLength(of request: HTTPRequest) -> Int? {
        guard let value = request.headers.values(for: "Content-Length").first else { return 0 }
        let member = value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).first ?? []
        let digits = member.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }
        // 18 digits at most reach here, so `Int` cannot overflow; longer values were refused.
        return Int(String(decoding: digits.reversed(), as: UTF8.self))
    }

    /// The requests among `events`, in order.
    static func requests(in events: [HTTPParseEvent]) -> [HTTPRequest] {
        events.compactMap { event in
            if case .request(let request) = event { return request }
            return nil
        }
    }
}
