// Forwarders only: see include/CLibSSH2Shims.h.
#include "CLibSSH2Shims.h"

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
