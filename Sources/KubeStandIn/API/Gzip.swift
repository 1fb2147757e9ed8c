import CZlib
import HTTPServerCore

/// gzip `Content-Encoding` as kube-apiserver applies it (issue 18): a whole response of at least the
/// threshold, to a client whose `Accept-Encoding` names gzip; streams (watches) are never compressed.
enum Gzip {
    /// `response` compressed when `request` accepts gzip and the body reaches `threshold`; otherwise,
    /// or if zlib fails, unchanged.
    static func encoded(_ response: HTTPResponse, for request: HTTPRequest, threshold: Int?) -> HTTPResponse {
        guard let threshold, response.stream == nil, response.deferred == nil, response.body.count >= threshold,
              request.headers.values(for: "Accept-Encoding").contains(where: { $0.lowercased().contains("gzip") }),
              let body = compress(response.body) else { return response }
        var compressed = response
        compressed.body = body
        compressed.headers.add(name: "Content-Encoding", value: "gzip")
        return compressed
    }

    /// `bytes` as one gzip member (zlib level 1, as Go's gzip writer at kube-apiserver's BestSpeed);
    /// `nil` when zlib fails.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        guard deflateInit2_(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        var input = bytes
        let result = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer -> Int32 in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }
}
