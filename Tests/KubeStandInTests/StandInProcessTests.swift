import Foundation
import Synchronization
import Testing
import TestSupport

/// The `troxileia-standin` binary as a process, for what only a process shows: its memory.
@Suite(.serialized, .timeLimit(.minutes(2))) struct StandInProcessTests {
    /// The binary SwiftPM built next to this test bundle.
    static let executable: URL = {
        let bundleDirectory = URL(filePath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return [bundleDirectory, bundleDirectory.deletingLastPathComponent()].map { $0.appending(path: "troxileia-standin") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? bundleDirectory.appending(path: "troxileia-standin")
    }()

    /// Issue 12, fault 2: 256 MiB sent behind a streamed watch. The server reads nothing while the
    /// stream is live (the bytes wait in the kernel), so its resident memory grows by less than
    /// 1 MiB (it grew by 257 MiB), and the watch still ends intact.
    @Test func bytesSentBehindAWatchAreNotBufferedAndTheWatchEndsIntact() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--listen", "127.0.0.1:0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }
        let line = errors.fileHandleForReading.availableData
        let port = try #require(String(decoding: line, as: UTF8.self).split(separator: ":").last
            .flatMap { UInt16($0.filter(\.isNumber)) })
        let socket = try Loopback.connect(port: port)
        defer { close(socket) }
        try Self.send(socket, Array("GET /api/v1/nodes?watch=true&timeoutSeconds=3 HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        var response = try Self.receive(socket, until: Array("\r\n\r\n".utf8), in: [])
        let before = try Self.residentBytes(process.processIdentifier)

        let sent = Atomic<Int>(0)
        let stop = Atomic<Bool>(false), stopped = Atomic<Bool>(false)
        // The writer must end before the socket is closed: a send on a closed descriptor number
        // could reach whatever the process opened next under it.
        defer {
            stop.store(true, ordering: .relaxed)
            while !stopped.load(ordering: .relaxed) { usleep(1_000) }
        }
        let writer = Thread {
            defer { stopped.store(true, ordering: .relaxed) }
            let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
            let deadline = ContinuousClock.now + .seconds(8)
            while sent.load(ordering: .relaxed) < 256 << 20, ContinuousClock.now < deadline, !stop.load(ordering: .relaxed) {
                let count = junk.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                if count > 0 { sent.add(count, ordering: .relaxed) } else if errno == EAGAIN { usleep(10_000) } else { break }
            }
        }
        writer.start()
        var peak = before
        let streamEnd = Array("\r\n0\r\n\r\n".utf8)
        while response.firstRange(of: streamEnd) == nil {
            response = try Self.receive(socket, until: streamEnd, in: response, timeout: 0.1)
            peak = max(peak, try Self.residentBytes(process.processIdentifier))
        }
        let text = String(decoding: response, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n") && text.contains("Transfer-Encoding: chunked"))
        #expect(Self.chunkedBodyIsWellFormed(response), "the watch ends with its last chunk, framing intact")
        print("behind the watch: \(sent.load(ordering: .relaxed)) bytes taken by the kernel of 256 MiB offered; RSS +\(peak - before) bytes")
        #expect(sent.load(ordering: .relaxed) > 1 << 20, "the client did send behind the watch")
        #expect(peak - before < 1 << 20, "resident memory grew by \(peak - before) bytes while \(sent.load(ordering: .relaxed)) were sent")
    }

    private static func send(_ socket: Int32, _ bytes: [UInt8]) throws {
        guard bytes.withUnsafeBytes({ Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw Failure(step: "send")
        }
    }

    /// Reads onto `received` until it holds `marker` or `timeout` passes without a byte.
    private static func receive(_ socket: Int32, until marker: [UInt8], in received: [UInt8], timeout: Double = 10) throws -> [UInt8] {
        var received = received
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var pollDescriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        while received.firstRange(of: marker) == nil {
            guard poll(&pollDescriptor, 1, Int32(timeout * 1000)) > 0 else { return received }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(step: "receive (closed)") }
            received += buffer[..<count]
        }
        return received
    }

    /// VmRSS of `pid`, in bytes.
    private static func residentBytes(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.filter(\.isNumber)) else { throw Failure(step: "read VmRSS") }
        return kilobytes * 1024
    }

    /// The body after the head parses as chunks (hex size, CRLF, data, CRLF) up to the last chunk.
    private static func chunkedBodyIsWellFormed(_ response: [UInt8]) -> Bool {
        guard let head = response.firstRange(of: Array("\r\n\r\n".utf8)) else { return false }
        var index = head.upperBound
        while let lineEnd = response[index...].firstRange(of: Array("\r\n".utf8)) {
            guard let size = Int(String(decoding: response[index..<lineEnd.lowerBound], as: UTF8.self), radix: 16) else { return false }
            let dataEnd = lineEnd.upperBound + size
            guard dataEnd + 2 <= response.count, response[dataEnd] == 13, response[dataEnd + 1] == 10 else { return false }
            if size == 0 { return true }
            index = dataEnd + 2
        }
        return false
    }

    struct Failure: Error { let step: String }
}
