internal import CCurl
internal import CCurlShims

/// One libcurl multi handle (`CURLM *`): runs many transfers on one thread and keeps their
/// connections in one cache, so sequential requests reuse a keep-alive connection and
/// concurrent ones share an HTTP/2 connection.
///
/// Not Sendable: every call but `wakeup()` happens on the transport's loop thread.
/// `wakeup()` may be called from any thread (libcurl documents `curl_multi_wakeup` so), but
/// never during or after `close()`; the owner guarantees that.
final class CurlMultiHandle {
    private let raw: UnsafeMutableRawPointer
    private var isClosed = false
    /// Every easy handle in the multi, held strongly: libcurl calls back into them (their
    /// callback context is the handle object itself), so none may be freed while it is here.
    private var handles: [UnsafeMutableRawPointer: CurlEasyHandle] = [:]

    /// Makes a multi handle. Call `CurlLibrary.initialize()` first.
    /// - Throws: `CurlFailure` when libcurl cannot allocate it.
    init() throws(CurlFailure) {
        guard let raw = curl_multi_init() else { throw CurlFailure(reason: "curl_multi_init failed (out of memory)") }
        self.raw = raw
        // Multiplexing over one HTTP/2 connection is libcurl's default since 7.62; stating it
        // cannot fail on such a version, and failing would leave that same default.
        _ = CShims_curl_multi_setopt_long(raw, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
    }

    deinit {
        close()
    }

    /// Frees everything now, in libcurl's documented order: remove each easy handle, clean it
    /// up, then the multi (which closes the cached connections). No other call may follow.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        // Removal fails only for a handle not in this multi, which `handles` rules out.
        for easy in handles.keys { curl_multi_remove_handle(raw, easy) }
        handles.removeAll()
        curl_multi_cleanup(raw)
    }

    /// Starts `easy`'s transfer.
    /// - Throws: `CurlFailure` when libcurl refuses the handle.
    func add(_ easy: CurlEasyHandle) throws(CurlFailure) {
        let code = curl_multi_add_handle(raw, easy.raw)
        guard code == CURLM_OK else { throw failure(code, "curl_multi_add_handle") }
        handles[easy.raw] = easy
    }

    /// Stops `easy`'s transfer (an unfinished HTTP/1.1 response closes its connection) and lets go of it.
    func remove(_ easy: CurlEasyHandle) {
        guard handles.removeValue(forKey: easy.raw) != nil else { return }
        // Fails only for a handle not in this multi, which the guard above rules out.
        curl_multi_remove_handle(raw, easy.raw)
    }

    /// Moves every transfer forward as far as it can go without blocking.
    /// - Throws: `CurlFailure` for a multi-level error (out of memory, bad handle).
    func perform() throws(CurlFailure) {
        var running: Int32 = 0
        let code = curl_multi_perform(raw, &running)
        guard code == CURLM_OK else { throw failure(code, "curl_multi_perform") }
    }

    /// The next finished transfer and its result, or `nil` when none is waiting.
    /// The handle stays in the multi until `remove` is called.
    func nextFinished() -> (easy: CurlEasyHandle, result: CURLcode)? {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(raw, &remaining) {
            // Copy out now: the message is invalid after the next multi call.
            guard message.pointee.msg == CURLMSG_DONE, let key = message.pointee.easy_handle,
                  let easy = handles[key] else { continue }
            return (easy, message.pointee.data.result)
        }
        return nil
    }

    /// Waits until a socket is ready, libcurl's next timer is due, `wakeup()` is called or
    /// `milliseconds` have passed, whichever comes first.
    /// - Throws: `CurlFailure` when libcurl cannot wait (out of memory, a failed `poll(2)`).
    func poll(milliseconds: Int32) throws(CurlFailure) {
        let code = curl_multi_poll(raw, nil, 0, milliseconds, nil)
        guard code == CURLM_OK else { throw failure(code, "curl_multi_poll") }
    }

    /// Ends a `poll` in progress (or makes the next one return at once). Any thread.
    /// A failed wakeup (the internal socket pair is full or broken) is not reported: the loop
    /// still sees the new work after at most one poll limit.
    func wakeup() {
        _ = curl_multi_wakeup(raw)
    }

    private func failure(_ code: CURLMcode, _ call: String) -> CurlFailure {
        CurlFailure(reason: "\(call) failed: \(String(cString: curl_multi_strerror(code)))")
    }
}

/// libcurl's process-wide setup.
enum CurlLibrary {
    /// `curl_global_init`'s result. A global's initialiser runs exactly once, thread-safely
    /// (Swift's lazy globals), which guards the call even on libcurl older than 7.84, where it
    /// is not thread-safe itself.
    private static let initialization: Int32 = Int32(bitPattern: curl_global_init(Int(CURL_GLOBAL_DEFAULT)).rawValue)

    /// Runs `curl_global_init` the first time.
    /// - Throws: `CurlFailure` when it failed.
    static func initialize() throws(CurlFailure) {
        guard initialization == Int32(bitPattern: CURLE_OK.rawValue) else {
            throw CurlFailure(reason: "curl_global_init failed with code \(initialization)")
        }
    }
}
