import CCurl
import CLibSSH2
import COpenSSL
import CCurlShims
import CLibSSH2Shims
import COpenSSLShims
import CLinuxShims
import Testing

/// The shims forward to the real libraries: each returns the library's own result codes.
@Suite struct CShimsTests {
    @Test func curlSetoptShimsReachLibcurl() throws {
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        #expect(CShims_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1) == CURLE_OK)
        #expect(CShims_curl_easy_setopt_string(handle, CURLOPT_URL, "https://127.0.0.1:1/") == CURLE_OK)
        // An out-of-range value is refused by libcurl itself, proving the call got there.
        #expect(CShims_curl_easy_setopt_long(handle, CURLOPT_SSLVERSION, 9_999) != CURLE_OK)
        var code = 0
        #expect(CShims_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK)
        #expect(code == 0)
    }

    @Test func libssh2SessionShimsCreateAndFreeASession() throws {
        #expect(libssh2_init(0) == 0)
        let session = try #require(CShims_libssh2_session_init())
        #expect(libssh2_session_free(session) == 0)
    }

    @Test func openSSLContextShimsSetProtocolBounds() throws {
        let context = try #require(SSL_CTX_new(TLS_server_method()))
        defer { SSL_CTX_free(context) }
        #expect(CShims_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1)
        #expect(SSL_CTX_get_min_proto_version_shimless(context) == TLS1_2_VERSION)
        #expect(CShims_SSL_CTX_set_min_proto_version(context, 0x7777) == 0)
    }
}

/// `SSL_CTX_get_min_proto_version` is a macro too; read it through the generic ctrl call.
private func SSL_CTX_get_min_proto_version_shimless(_ context: OpaquePointer) -> Int32 {
    Int32(SSL_CTX_ctrl(context, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nil))
}
