// Forwarders only: see include/CShims.h.
#include "CShims.h"
#include <openssl/err.h>

// MARK: libcurl

CURLcode CShims_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode CShims_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode CShims_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode CShims_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode CShims_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode CShims_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, CShims_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode CShims_curl_easy_setopt_xferinfo_callback(CURL *handle, CShims_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}
CURLcode CShims_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
CURLcode CShims_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
CURLMcode CShims_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

// MARK: libssh2

LIBSSH2_SESSION *CShims_libssh2_session_init(void) {
    return libssh2_session_init();
}
LIBSSH2_CHANNEL *CShims_libssh2_channel_open_session(LIBSSH2_SESSION *session) {
    return libssh2_channel_open_session(session);
}
int CShims_libssh2_channel_request_pty(LIBSSH2_CHANNEL *channel, const char *term) {
    return libssh2_channel_request_pty(channel, term);
}
int CShims_libssh2_channel_shell(LIBSSH2_CHANNEL *channel) {
    return libssh2_channel_shell(channel);
}
ssize_t CShims_libssh2_channel_read(LIBSSH2_CHANNEL *channel, char *buffer, size_t length) {
    return libssh2_channel_read(channel, buffer, length);
}
ssize_t CShims_libssh2_channel_write(LIBSSH2_CHANNEL *channel, const char *buffer, size_t length) {
    return libssh2_channel_write(channel, buffer, length);
}
int CShims_libssh2_channel_eof(LIBSSH2_CHANNEL *channel) {
    return libssh2_channel_eof(channel);
}
int CShims_libssh2_channel_close(LIBSSH2_CHANNEL *channel) {
    return libssh2_channel_close(channel);
}
int CShims_libssh2_session_disconnect(LIBSSH2_SESSION *session, const char *description) {
    return libssh2_session_disconnect(session, description);
}
int CShims_libssh2_userauth_password(LIBSSH2_SESSION *session, const char *user, const char *password) {
    return libssh2_userauth_password(session, user, password);
}
int CShims_libssh2_userauth_publickey_fromfile(LIBSSH2_SESSION *session, const char *user,
                                                const char *private_key_path, const char *passphrase) {
    return libssh2_userauth_publickey_fromfile(session, user, NULL, private_key_path, passphrase);
}

// MARK: OpenSSL

long CShims_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version) {
    return SSL_CTX_set_min_proto_version(context, version);
}
long CShims_SSL_CTX_set_max_proto_version(SSL_CTX *context, int version) {
    return SSL_CTX_set_max_proto_version(context, version);
}
long CShims_SSL_CTX_set_mode(SSL_CTX *context, long mode) {
    return SSL_CTX_set_mode(context, mode);
}
uint64_t CShims_SSL_CTX_set_options(SSL_CTX *context, uint64_t options) {
    return SSL_CTX_set_options(context, options);
}
long CShims_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
uint64_t CShims_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
uint64_t CShims_SSL_OP_CIPHER_SERVER_PREFERENCE(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }
uint64_t CShims_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }
int CShims_ERR_GET_REASON(unsigned long code) { return ERR_GET_REASON(code); }

// MARK: libcurl, added for the KubeAPI transport

CURLcode CShims_curl_easy_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value) {
    return curl_easy_setopt(handle, option, value);
}
size_t CShims_CURL_WRITEFUNC_PAUSE(void) { return CURL_WRITEFUNC_PAUSE; }
CURLcode CShims_curl_easy_pause_cont(CURL *handle) { return curl_easy_pause(handle, CURLPAUSE_CONT); }
