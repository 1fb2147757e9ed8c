import Foundation
import TestSupport

/// A blocking plain-HTTP exchange on 127.0.0.1 for requests the libcurl transport cannot make
/// (custom headers); the request must say `Connection: close`.
enum RawHTTP {
    struct Failure: Error { let step: String }

    static func exchange(port: UInt16, _ request: String) throws -> String {
        let descriptor: Int32
        do { descriptor = try Loopback.connect(port: port, timeout: 10) } catch { throw Failure(step: "connect") }
        defer { close(descriptor) }
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw Failure(step: "send") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
