#if canImport(Glibc)
import Glibc
#endif

/// A system call failure: the call's name and errno, kept at the failure.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public var description: String { "failed to \(operation): \(String(cString: strerror(code)))" }
}

/// Thin wrappers over the socket calls the server needs; every descriptor is non-blocking and
/// close-on-exec, every call retries EINTR.
enum Socket {
    /// Opens a listening TCP socket on `address`; an IPv6 wildcard also takes IPv4 (dual stack).
    /// - Returns: the descriptor and the bound port (the real one when `address.port` is 0).
    static func listen(on address: ListenAddress, backlog: Int32 = 1024) throws(SocketError) -> (Int32, UInt16) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(operation: "create socket for \(address)", code: errno) }
        do throws(SocketError) {
            try setOption(descriptor, SOL_SOCKET, SO_REUSEADDR, 1, "set SO_REUSEADDR")
            if address.isIPv6 { try setOption(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0, "enable dual-stack IPv6") }
            try bind(descriptor, to: address)
            guard Glibc.listen(descriptor, backlog) == 0 else { throw SocketError(operation: "listen on \(address)", code: errno) }
            return (descriptor, try boundPort(descriptor))
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Accepts one pending connection, non-blocking; `nil` when none is pending.
    static func accept(_ listener: Int32) throws(SocketError) -> Int32? {
        while true {
            // accept4 needs _GNU_SOURCE, which the Glibc module does not define: flags are set after.
            let descriptor = Glibc.accept(listener, nil, nil)
            if descriptor >= 0 {
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                // Small request/response exchanges: send each response at once.
                var one: Int32 = 1
                _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return descriptor
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            // The client gave up before we accepted: not our failure.
            case ECONNABORTED, EPROTO: continue
            default: throw SocketError(operation: "accept", code: errno)
            }
        }
    }

    /// Reads into `buffer`: bytes read, 0 at EOF, `nil` when it would block.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int? {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            throw SocketError(operation: "read", code: errno)
        }
    }

    /// Writes from `buffer`: bytes written, `nil` when it would block.
    static func write(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) throws(SocketError) -> Int? {
        while true {
            let count = send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            throw SocketError(operation: "write", code: errno)
        }
    }

    private static func setOption(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Int32,
                                  _ operation: String) throws(SocketError) {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError(operation: operation, code: errno)
        }
    }

    private static func bind(_ descriptor: Int32, to address: ListenAddress) throws(SocketError) {
        let result: Int32
        if address.isIPv6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = address.port.bigEndian
            guard inet_pton(AF_INET6, address.host, &socketAddress.sin6_addr) == 1 else {
                throw SocketError(operation: "parse IPv6 address \(address.host)", code: EINVAL)
            }
            result = bind(descriptor, socketAddress)
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = address.port.bigEndian
            guard inet_pton(AF_INET, address.host, &socketAddress.sin_addr) == 1 else {
                throw SocketError(operation: "parse IPv4 address \(address.host)", code: EINVAL)
            }
            result = bind(descriptor, socketAddress)
        }
        guard result == 0 else { throw SocketError(operation: "bind \(address)", code: errno) }
    }

    /// `bind(2)` with a `sockaddr_in` or `sockaddr_in6`, passed as the `sockaddr` it begins with.
    private static func bind<SocketAddress>(_ descriptor: Int32, _ socketAddress: SocketAddress) -> Int32 {
        var socketAddress = socketAddress
        return withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<SocketAddress>.size))
            }
        }
    }

    private static func boundPort(_ descriptor: Int32) throws(SocketError) -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { throw SocketError(operation: "read the bound address", code: errno) }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }
}
