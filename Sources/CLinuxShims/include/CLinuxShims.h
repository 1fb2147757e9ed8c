// CLinuxShims: the Linux event APIs that the Glibc Swift module does not export (epoll, eventfd),
// for the server's event loops and the SSH session's cancellation signal, and the thread naming
// of NativeThread. Declarations, and one inline wrapper of a variadic call: the calls are made from
// Swift directly. Troxileia runs on Linux only (Package.swift).
#ifndef TROXILEIA_CLINUXSHIMS_H
#define TROXILEIA_CLINUXSHIMS_H

#ifndef __linux__
#error "Troxileia runs on Linux: the server needs epoll and eventfd"
#endif

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>

// Names the calling thread (Linux keeps 15 bytes): prctl is variadic, which Swift cannot call, and
// pthread_setname_np is hidden behind _GNU_SOURCE.
static inline int troxileia_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

#endif
