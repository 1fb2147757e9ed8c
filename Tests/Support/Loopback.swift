import Foundation

/// Plain TCP connections to 127.0.0.1 for tests that hold raw sockets.
public enum Loopback {
    /// Something the socket calls refused.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A blocking TCP connection to 127.0.0.1:`port`; the caller closes it. With `timeout`, the
    /// connect and every later send and receive give up after it.
    public static func connect(port: UInt16, timeout: Double? = nil) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        if let timeout {
            var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(description: "connect to port \(port): \(String(cString: strerror(code)))")
        }
        return descriptor
    }
}
