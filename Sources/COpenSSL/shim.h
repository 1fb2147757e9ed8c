// OpenSSL 3 for Swift: the public headers we use. Macros (SSL_CTX_set_mode,
// SSL_CTX_set_min_proto_version, ...) are wrapped in COpenSSLShims.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
