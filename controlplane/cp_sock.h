/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sock.h — socket helpers the signalling hosts share (cp_ras.c,
 * cp_sip.c): a bound non-blocking socket on the wildcard address, an
 * epoll registration with a tag, random octets from the kernel.
 */
#ifndef SL_CP_SOCK_H
#define SL_CP_SOCK_H

#include <stddef.h>
#include <stdint.h>

/* SOCK_DGRAM or SOCK_STREAM on 0.0.0.0:port (a stream socket listens
 * with `backlog` and SO_REUSEADDR); -1 with errno. */
int cp_sock_bound(int type, uint16_t port, int backlog);

/* EPOLLIN with the tag; 0 or -1 with errno. */
int cp_epoll_add(int epfd, int fd, uint64_t tag);

/* getrandom() until `len` octets; 0 or -1. */
int cp_random(uint8_t *buf, size_t len);

#endif /* SL_CP_SOCK_H */
