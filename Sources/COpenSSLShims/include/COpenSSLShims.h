// COpenSSLShims: OpenSSL's macros for Swift (used by HTTPServerCore only).
// Logic-free wrappers for C macros and variadic functions that Swift cannot call. One wrapper per
// argument type; each forwards its arguments unchanged and returns the library's own result code.
// No state, no policy: all of that lives in the Swift wrappers.
#ifndef TROXILEIA_COPENSSLSHIMS_H
#define TROXILEIA_COPENSSLSHIMS_H

#include <openssl/ssl.h>

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

#endif
