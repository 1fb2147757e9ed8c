// CLibSSH2Shims: libssh2's function-like macros for Swift (used by GigaVUE only).
// Logic-free wrappers for C macros and variadic functions that Swift cannot call. One wrapper per
// argument type; each forwards its arguments unchanged and returns the library's own result code.
// No state, no policy: all of that lives in the Swift wrappers.
#ifndef TROXILEIA_CLIBSSH2SHIMS_H
#define TROXILEIA_CLIBSSH2SHIMS_H

#include <libssh2.h>

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

#endif
