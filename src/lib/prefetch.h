/* prefetch.h - ask the CPU to start loading memory needed soon.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replays of big catalogues are bound by memory latency: each request
 * touches a few random entries of arrays far larger than the caches.
 * The hot loops know the next requests, so they prefetch what those will
 * touch a few iterations ahead and the misses overlap.  A hint only: it
 * never changes a result, and is a no-op for other compilers.
 */
#ifndef IDN_PREFETCH_H
#define IDN_PREFETCH_H

#if defined(__GNUC__) || defined(__clang__)
#define IDN_PREFETCH(p) __builtin_prefetch(p)
#else
#define IDN_PREFETCH(p) ((void)(p))
/* A request type's record: network.c lays out its header, first
 * candidates and path in its first two cache lines, which is what the
 * cache walk and serving read first. */
static inline void idn_prefetch_type_record(const void *t)
{
	IDN_PREFETCH(t);
	IDN_PREFETCH((const char *)t + 64);
}

#endif

/* A request type's record: network.c lays out its header, first
 * candidates and path in its first two cache lines, which is what the
 * cache walk and serving read first. */
static inline void idn_prefetch_type_record(const void *t)
{
	IDN_PREFETCH(t);
	IDN_PREFETCH((const char *)t + 64);
}

#endif
