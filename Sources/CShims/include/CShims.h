// CShims: logic-free wrappers for C macros and variadic functions that Swift cannot call.
// One wrapper per argument type; each forwards its arguments unchanged and returns the
// library's own result code. No state, no policy: all of that lives in the Swift wrappers.
#ifndef TROXILEIA_CSHIMS_H
#define TROXILEIA_CSHIMS_H

#include <curl/curl.h>
#include <libssh2.h>
#include <openssl/ssl.h>
// Linux event APIs the Glibc Swift module does not export (declarations only).
#include <sys/epoll.h>
#include <sys/eventfd.h>

// MARK: libcurl (curl_easy_setopt and curl_easy_getinfo are variadic)

typedef size_t (*CShims_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*CShims_curl_xferinfo_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                             curl_off_t ultotal, curl_off_t ulnow);

CURLcode CShims_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode CShims_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode CShims_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode CShims_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode CShims_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode CShims_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, CShims_curl_data_callback value);
CURLcode CShims_curl_easy_setopt_xferinfo_callback(CURL *handle, CShims_curl_xferinfo_callback value);
CURLcode CShims_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode CShims_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);
CURLMcode CShims_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

// MARK: libssh2 (function-like macros over the *_ex functions)

LIBSSH2_SESSION *CShims_libssh2_session_init(void);
LIBSSH2_CHANNEL *CShims_libssh2_channel_open_session(LIBSSH2_SESSION *session);
int CShims_libssh2_channel_request_pty(LIBSSH2_CHANNEL *channel, const char *term);
int CShims_libssh2_channel_shell(LIBSSH2_CHANNEL *channel);
ssize_t CShims_libssh2_channel_read(LIBSSH2_CHANNEL *channel, char *buffer, size_t length);
ssize_t CShims_libssh2_channel_write(LIBSSH2_CHANNEL *channel, const char *buffer, size_t length);
int CShims_libssh2_channel_eof(LIBSSH2_CHANNEL *channel);
int CShims_libssh2_channel_close(LIBSSH2_CHANNEL *channel);
int CShims_libssh2_session_disconnect(LIBSSH2_SESSION *session, const char *description);
int CShims_libssh2_userauth_password(LIBSSH2_SESSION *session, const char *user, const char *password);
int CShims_libssh2_userauth_publickey_fromfile(LIBSSH2_SESSION *session, const char *user,
                                                const char *private_key_path, const char *passphrase);

// MARK: OpenSSL (SSL_CTX_ctrl and SSL_ctrl macros)

long CShims_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version);
long CShims_SSL_CTX_set_max_proto_version(SSL_CTX *context, int version);
long CShims_SSL_CTX_set_mode(SSL_CTX *context, long mode);
uint64_t CShims_SSL_CTX_set_options(SSL_CTX *context, uint64_t options);
long CShims_SSL_set_tlsext_host_name(SSL *ssl, const char *name);
/// SSL_OP_* constants are built with a cast macro (SSL_OP_BIT) Swift cannot import.
uint64_t CShims_SSL_OP_NO_RENEGOTIATION(void);
uint64_t CShims_SSL_OP_CIPHER_SERVER_PREFERENCE(void);
uint64_t CShims_SSL_OP_NO_COMPRESSION(void);
/// ERR_GET_REASON is an inline function over a packed error code.
int CShims_ERR_GET_REASON(unsigned long code);

// MARK: libcurl, added for the KubeAPI transport

/// `CURLOPT_CAINFO_BLOB`, `CURLOPT_SSLCERT_BLOB`, `CURLOPT_SSLKEY_BLOB` take a `struct curl_blob *`.
CURLcode CShims_curl_easy_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value);
/// `CURL_WRITEFUNC_PAUSE`: a write callback's answer that pauses the transfer and keeps the data.
size_t CShims_CURL_WRITEFUNC_PAUSE(void);
/// `curl_easy_pause(handle, CURLPAUSE_CONT)`: `CURLPAUSE_CONT` is a compound macro.
CURLcode CShims_curl_easy_pause_cont(CURL *handle);

#endif
