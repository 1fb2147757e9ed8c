internal import CCurl
internal import CCurlShims

/// A libcurl call that failed, with libcurl's own words for it.
struct CurlFailure: Error {
    /// The text for a person: the error buffer's message, else `curl_easy_strerror`.
    var reason: String
}

/// Receives what libcurl delivers for one easy handle. Called on the transport's loop thread,
/// from inside `curl_multi_perform`, only while the handle is in the multi handle.
protocol CurlEasyHandleReceiver: AnyObject {
    /// One raw header line with its CRLF, the status line and the blank end line included.
    /// Returning `false` aborts the transfer.
    func receivedHeaderLine(_ line: UnsafeRawBufferPointer) -> Bool
    /// The next piece of the body, chunked framing removed: taken, left for later (the transfer
    /// pauses and libcurl hands the same bytes again after `resume()`), or refused (abort).
    func receivedBody(_ bytes: UnsafeRawBufferPointer) -> CurlBodyAnswer
}

/// What a receiver does with a piece of body.
enum CurlBodyAnswer {
    /// Taken; go on.
    case taken
    /// Not taken: pause the transfer (`CURL_WRITEFUNC_PAUSE`); libcurl keeps the bytes.
    case pause
    /// Abort the transfer (libcurl reports a write error).
    case abort
}

/// One libcurl easy handle (`CURL *`) with the memory libcurl keeps pointers into: the header
/// list, the error buffer and the callback context. All of it is freed in `deinit`, in that order
/// after `curl_easy_cleanup`, so libcurl never sees a dangling pointer.
///
/// Not Sendable: made, configured, run and freed on the transport's loop thread only.
final class CurlEasyHandle {
    /// The C handle, for `CurlMultiHandle`'s add and remove calls only.
    let raw: UnsafeMutableRawPointer
    /// `CURLOPT_HTTPHEADER`'s list; libcurl reads it during the transfer, so it lives as long as we do.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// `CURLOPT_ERRORBUFFER`: libcurl writes the detailed message of a failure here.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Where the callbacks go. Weak: the receiver owns this handle.
    weak var receiver: (any CurlEasyHandleReceiver)?

    /// Makes a handle with the error buffer and the header and body callbacks installed.
    /// - Throws: `CurlFailure` when libcurl cannot allocate the handle or refuses an option.
    init() throws(CurlFailure) {
        guard let raw = curl_easy_init() else { throw CurlFailure(reason: "curl_easy_init failed (out of memory)") }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        // The callback context is this object, unretained. libcurl calls back only from
        // `curl_multi_perform` while the handle is in the multi, and `CurlMultiHandle` holds a strong
        // reference to every handle it contains; `deinit` runs `curl_easy_cleanup` first. So the
        // pointer never outlives the object it names.
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(CShims_curl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(CShims_curl_easy_setopt_pointer(raw, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try check(CShims_curl_easy_setopt_pointer(raw, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(CShims_curl_easy_setopt_data_callback(raw, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
            let line = UnsafeRawBufferPointer(start: data, count: size * count)
            return handle.receiver?.receivedHeaderLine(line) == true ? size * count : 0
        }, "CURLOPT_HEADERFUNCTION")
        try check(CShims_curl_easy_setopt_data_callback(raw, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            switch handle.receiver?.receivedBody(bytes) ?? .abort {
            case .taken: return size * count
            case .pause: return CShims_CURL_WRITEFUNC_PAUSE()
            case .abort: return 0
            }
        }, "CURLOPT_WRITEFUNCTION")
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int, name: String) throws(CurlFailure) {
        try check(CShims_curl_easy_setopt_long(raw, option, value), name)
    }

    /// Sets a string option (libcurl copies it); `nil` resets it to libcurl's "none".
    func set(_ option: CURLoption, _ value: String?, name: String) throws(CurlFailure) {
        let code = if let value { CShims_curl_easy_setopt_string(raw, option, value) }
            else { CShims_curl_easy_setopt_string(raw, option, nil) }
        try check(code, name)
    }

    /// Sets a blob option (`CURLOPT_*_BLOB`); libcurl copies the bytes (`CURL_BLOB_COPY`), so
    /// the pointer is needed only during the call.
    func setBlob(_ option: CURLoption, _ bytes: [UInt8], name: String) throws(CurlFailure) {
        let code = bytes.withUnsafeBytes { buffer in
            var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: buffer.baseAddress), len: buffer.count,
                                 flags: UInt32(CURL_BLOB_COPY))
            return CShims_curl_easy_setopt_blob(raw, option, &blob)
        }
        try check(code, name)
    }

    /// Makes the request a POST-style one carrying exactly `body` (libcurl copies the bytes).
    func setBody(_ body: [UInt8]) throws(CurlFailure) {
        try check(CShims_curl_easy_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                  "CURLOPT_POSTFIELDSIZE_LARGE")
        // A NULL pointer would make libcurl read the body from stdin, so an empty body still
        // passes a real (one-byte) buffer; the size above says none of it is sent.
        let bytes = body.isEmpty ? [0] : body
        let code = bytes.withUnsafeBytes { buffer in
            let pointer = UnsafeMutableRawPointer(mutating: buffer.baseAddress)
            return CShims_curl_easy_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, pointer)
        }
        try check(code, "CURLOPT_COPYPOSTFIELDS")
    }

    /// Replaces the request header list with `lines` (`Name: value`; `Name:` removes a header
    /// libcurl would add). The list is kept until the next call or `deinit`.
    func setHeaders(_ lines: [String]) throws(CurlFailure) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let longer = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw CurlFailure(reason: "curl_slist_append failed (out of memory)")
            }
            list = longer
        }
        let code = CShims_curl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list)
        guard code == CURLE_OK else {
            curl_slist_free_all(list)
            throw failure(code, "CURLOPT_HTTPHEADER")
        }
        curl_slist_free_all(headerList)
        headerList = list
    }

    /// Resumes a transfer paused by a `.pause` answer (`curl_easy_pause(CURLPAUSE_CONT)`); libcurl may
    /// deliver the held bytes from inside this call. Loop thread only, outside any callback.
    /// - Throws: `CurlFailure` when libcurl refuses (the transfer then fails on its own).
    func resume() throws(CurlFailure) {
        try check(CShims_curl_easy_pause_cont(raw), "curl_easy_pause")
    }

    /// The last response's status code (`CURLINFO_RESPONSE_CODE`); 0 before one arrived.
    var responseCode: Int {
        var code = 0
        guard CShims_curl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK else { return 0 }
        return code
    }

    /// libcurl's explanation of `code`: the error buffer's detailed message when it holds one,
    /// else the generic `curl_easy_strerror` text.
    func errorText(for code: CURLcode) -> String {
        if errorBuffer.pointee != 0 {
            // The buffer is NUL-terminated by libcurl within CURL_ERROR_SIZE; we zeroed it at the start.
            let text = String(cString: errorBuffer)
            if !text.isEmpty { return text }
        }
        return String(cString: curl_easy_strerror(code))
    }

    private func check(_ code: CURLcode, _ name: String) throws(CurlFailure) {
        guard code == CURLE_OK else { throw failure(code, name) }
    }

    private func failure(_ code: CURLcode, _ name: String) -> CurlFailure {
        CurlFailure(reason: "libcurl refused \(name): \(String(cString: curl_easy_strerror(code)))")
    }
}
