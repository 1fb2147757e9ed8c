internal import CLibSSH2
internal import CLibSSH2Shims

/// An interactive shell channel with a PTY on an `SSHSession` (gigavue-cli.md "Session" step 1: every
/// public automation uses a shell, none an exec channel). Holds its session so the free order is
/// right; closed and freed in `deinit`. Not `Sendable`: one session thread.
final class SSHChannel {
    let session: SSHSession
    private let handle: OpaquePointer

    /// Opens a session channel, asks for a PTY (`vt100`, 80×24) and starts the shell.
    /// - Throws: the session's errors for the `open the shell` stage.
    init(session: SSHSession, _ deadline: Deadline) throws(TapError) {
        self.session = session
        handle = try session.performReturningPointer(deadline) { CShims_libssh2_channel_open_session(session.handle) }
        try session.perform(deadline) { CShims_libssh2_channel_request_pty(handle, "vt100") }
        try session.perform(deadline) { CShims_libssh2_channel_shell(handle) }
    }

    deinit {
        // Still non-blocking here: a close that would wait for the peer is abandoned, and the session's
        // own teardown (bounded to a second) ends the connection.
        _ = CShims_libssh2_channel_close(handle)
        libssh2_channel_free(handle)
    }

    /// Reads what is there into the start of `buffer`: the byte count, 0 when nothing is waiting.
    /// - Throws: `.connectionLost` at the end of the channel, or the session's errors.
    func readAvailable(into buffer: inout [UInt8], stage: String) throws(TapError) -> Int {
        let result = buffer.withUnsafeMutableBytes { raw in
            CShims_libssh2_channel_read(handle, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
        }
        if result > 0 { return result }
        if result == Int(LIBSSH2_ERROR_EAGAIN) { return 0 }
        // libssh2 answers 0 only at the end of the channel: the device hung up.
        if result == 0 { throw .connectionLost(stage: stage) }
        throw session.failure(stage, code: Int32(clamping: result))
    }

    /// Writes all of `text`, waiting for the socket as needed.
    func write(_ text: String, _ deadline: Deadline) throws(TapError) {
        var bytes = Array(text.utf8)
        defer {
            // The text may be a password: don't leave it in freed memory.
            for index in bytes.indices { bytes[index] = 0 }
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        CShims_libssh2_channel_write(handle, $0 + offset, buffer.count - offset)
                    }
                } ?? 0
            }
            if written >= 0 {
                offset += written
            } else if written == Int(LIBSSH2_ERROR_EAGAIN) {
                try session.waitForSocket(deadline)
            } else {
                throw session.failure(deadline.stage, code: Int32(clamping: written))
            }
        }
    }
}
