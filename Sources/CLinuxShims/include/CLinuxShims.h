// CLinuxShims: the Linux event APIs that the Glibc Swift module does not export (epoll, eventfd),
// for the server's event loops and the SSH session's cancellation signal. Declarations only: the
// calls are made from Swift directly. Troxileia runs on Linux only (Package.swift).
#ifndef TROXILEIA_CLINUXSHIMS_H
#define TROXILEIA_CLINUXSHIMS_H

#ifndef __linux__
#error "Troxileia runs on Linux: the server needs epoll and eventfd"
#endif

#include <sys/epoll.h>
#include <sys/eventfd.h>

#endif
