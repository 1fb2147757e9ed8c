// libssh2 for Swift: the public headers only. Function-like macros
// (libssh2_session_init, libssh2_channel_open_session, ...) are wrapped in CLibSSH2Shims.
#include <libssh2.h>
