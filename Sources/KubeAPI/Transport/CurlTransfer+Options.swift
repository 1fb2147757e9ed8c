internal import CCurl

extension CurlTransfer {
    /// Sets every option of `handle` for `job`: URL, protocols, TLS, timeouts, method, body and
    /// headers. Runs on the loop thread, so the `Authorization` header (and with it the token)
    /// exists only there, in the handle's header list.
    /// - Throws: `CurlFailure` for a header value with a line break or an option libcurl refuses.
    static func configure(_ handle: CurlEasyHandle, for job: CurlTransferJob,
                          configuration: CurlTransport.Configuration) throws(CurlFailure) {
        let request = job.request
        guard request.path.hasPrefix("/") else {
            throw CurlFailure(reason: "the request path must start with /")
        }
        try handle.set(CURLOPT_URL, configuration.baseURL + request.path, name: "CURLOPT_URL")
        // Allowed schemes are enforced by libcurl itself, for the URL and any redirect.
        try handle.set(CURLOPT_PROTOCOLS_STR, configuration.allowPlainHTTP ? "http,https" : "https",
                       name: "CURLOPT_PROTOCOLS_STR")
        // No signals from libcurl's resolver timeouts: we are one thread in a multithreaded process.
        try handle.set(CURLOPT_NOSIGNAL, 1, name: "CURLOPT_NOSIGNAL")
        // HTTP/2 when the server offers it in ALPN (kube-apiserver does), HTTP/1.1 otherwise.
        try handle.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS), name: "CURLOPT_HTTP_VERSION")
        // Over TLS, wait for a connection that can multiplex (HTTP/2) rather than open another one.
        // Not over plain HTTP (loopback test servers): HTTP/1.1 cannot multiplex, and waiting on a
        // connection held by a watch made libcurl 7.88 fail other requests with a 0 ms timeout.
        if !configuration.allowPlainHTTP || configuration.baseURL.hasPrefix("https:") {
            try handle.set(CURLOPT_PIPEWAIT, 1, name: "CURLOPT_PIPEWAIT")
        }
        // gzip when asked (the default): libcurl decodes before our write callback, so the byte
        // limits still apply to what is kept in memory. `nil` sends no Accept-Encoding at all.
        // Never on a stream (a watch): kube-apiserver v1.36 compresses no watch, and from v1.37
        // (WatchListCompression) a compressed watch-list is one gzip member per flush, which
        // libcurl 7.88 cannot read past the first ("Failed reading the chunked-encoded stream").
        let gzip = configuration.acceptGzip && !job.sink.isStream
        try handle.set(CURLOPT_ACCEPT_ENCODING, gzip ? "gzip" : nil, name: "CURLOPT_ACCEPT_ENCODING")
        try handle.set(CURLOPT_USERAGENT, configuration.userAgent, name: "CURLOPT_USERAGENT")
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds,
                       name: "CURLOPT_CONNECTTIMEOUT_MS")
        if let timeout = request.timeout {
            try handle.set(CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds, name: "CURLOPT_TIMEOUT_MS")
        }
        // Probes keep a long watch's idle connection alive through NAT and notice a dead peer
        // (client-go's dialer uses 30 s keep-alive as well).
        try handle.set(CURLOPT_TCP_KEEPALIVE, 1, name: "CURLOPT_TCP_KEEPALIVE")
        try handle.set(CURLOPT_TCP_KEEPIDLE, 30, name: "CURLOPT_TCP_KEEPIDLE")
        try handle.set(CURLOPT_TCP_KEEPINTVL, 10, name: "CURLOPT_TCP_KEEPINTVL")
        try configureTLS(handle, configuration: configuration)
        try configureMethod(handle, request: request)
        try handle.setHeaders(headerLines(for: job))
    }

    private static func configureTLS(_ handle: CurlEasyHandle,
                                     configuration: CurlTransport.Configuration) throws(CurlFailure) {
        let verify = !configuration.insecureSkipTLSVerify
        try handle.set(CURLOPT_SSL_VERIFYPEER, verify ? 1 : 0, name: "CURLOPT_SSL_VERIFYPEER")
        try handle.set(CURLOPT_SSL_VERIFYHOST, verify ? 2 : 0, name: "CURLOPT_SSL_VERIFYHOST")
        if let authority = configuration.certificateAuthority {
            // Trust the cluster's CA only, not the system store as well.
            try handle.set(CURLOPT_CAPATH, nil, name: "CURLOPT_CAPATH")
            switch authority {
            case .file(let path): try handle.set(CURLOPT_CAINFO, path, name: "CURLOPT_CAINFO")
            case .pem(let bytes): try handle.setBlob(CURLOPT_CAINFO_BLOB, bytes, name: "CURLOPT_CAINFO_BLOB")
            }
        }
        switch configuration.clientCertificate {
        case .file(let path): try handle.set(CURLOPT_SSLCERT, path, name: "CURLOPT_SSLCERT")
        case .pem(let bytes): try handle.setBlob(CURLOPT_SSLCERT_BLOB, bytes, name: "CURLOPT_SSLCERT_BLOB")
        case nil: break
        }
        if configuration.clientCertificate != nil {
            try handle.set(CURLOPT_SSLCERTTYPE, "PEM", name: "CURLOPT_SSLCERTTYPE")
        }
        switch configuration.clientKey {
        case .file(let path): try handle.set(CURLOPT_SSLKEY, path, name: "CURLOPT_SSLKEY")
        case .pem(let bytes): try handle.setBlob(CURLOPT_SSLKEY_BLOB, bytes, name: "CURLOPT_SSLKEY_BLOB")
        case nil: break
        }
        if configuration.clientKey != nil {
            try handle.set(CURLOPT_SSLKEYTYPE, "PEM", name: "CURLOPT_SSLKEYTYPE")
        }
    }

    private static func configureMethod(_ handle: CurlEasyHandle, request: KubeRequest) throws(CurlFailure) {
        switch (request.method, request.body) {
        case (.get, _):
            try handle.set(CURLOPT_HTTPGET, 1, name: "CURLOPT_HTTPGET")
        case (.delete, nil):
            try handle.set(CURLOPT_CUSTOMREQUEST, "DELETE", name: "CURLOPT_CUSTOMREQUEST")
        case (let method, let body):
            // POST, PUT, PATCH and DELETE with a body; a missing body is sent as Content-Length: 0.
            try handle.setBody(body ?? [])
            if method != .post {
                try handle.set(CURLOPT_CUSTOMREQUEST, method.rawValue, name: "CURLOPT_CUSTOMREQUEST")
            }
        }
    }

    /// `Accept`, `Content-Type`, `Authorization` and an empty `Expect` (no 100-continue round trip).
    private static func headerLines(for job: CurlTransferJob) throws(CurlFailure) -> [String] {
        let request = job.request
        var lines = ["Accept: \(try fieldValue(request.accept, name: "Accept"))", "Expect:"]
        if let contentType = request.contentType {
            lines.append("Content-Type: \(try fieldValue(contentType, name: "Content-Type"))")
        } else {
            lines.append("Content-Type:")   // none, rather than libcurl's form-urlencoded default for a body
        }
        if let token = job.token {
            // Token files often end with a newline; client-go trims the token the same way.
            let value = trimmingHTTPWhitespace(Substring(token.revealed))
            guard !value.utf8.contains(where: isForbiddenInField) else {
                throw CurlFailure(reason: "the bearer token contains a control character")
            }
            if !value.isEmpty { lines.append("Authorization: Bearer \(value)") }
        }
        return lines
    }

    /// `value` unchanged, unless it holds a byte that would end or break the header line.
    private static func fieldValue(_ value: String, name: String) throws(CurlFailure) -> String {
        guard !value.utf8.contains(where: isForbiddenInField) else {
            throw CurlFailure(reason: "the \(name) header value contains a control character")
        }
        return value
    }

    /// CR, LF, NUL and other controls except HTAB (RFC 9110 §5.5).
    private static func isForbiddenInField(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09) || byte == 0x7F
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (0 means "no limit" to libcurl), capped to `Int`.
    fileprivate var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64(Int.max / 1000) - 1 else { return Int.max }
        return max(1, Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}
