// Forwarders only: see include/COpenSSLShims.h.
#include "COpenSSLShims.h"
#include <openssl/err.h>

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
