/* sources.h - which scenario nodes emit requests, shared by the trace
 * tools (idn-gen, idn-import) so that --sources means the same in both.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef IDN_SOURCES_H
#define IDN_SOURCES_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "scenario.h"

/* The nodes named by list, a comma-separated list of tier names (all the
 * nodes of that tier, in nodes.csv order) and node names, in order of
 * mention and without repeats.  A name that is both a tier and a node
 * means the tier.  src must have room for sc->n_nodes entries.  Fails
 * (IDN_EUSAGE) on an empty name and (IDN_EDATA) on an unknown name or an
 * empty selection. */
int sources_select(const struct scenario *sc, const char *list,
                   uint32_t *src, uint32_t *n, struct idn_err *e);

/* What a trace tool starts with: the scenario in dir, which must have a
 * task, in *sc, and its nodes selected by list (as sources_select) in
 * *src (malloc'ed, *n entries).  On failure *sc and *src are NULL. */
int sources_load(const char *dir, const char *list, struct scenario **sc,
                 uint32_t **src, uint32_t *n, struct idn_err *e);

/* A seeded hash of the bytes id[0..len), reduced to [0, n), n >= 1:
 * h = FNV-1a 64 of the bytes, started from the FNV offset basis XOR
 * mix(seed); result = mix(h) mod n, where mix is the splitmix64
 * finalizer (z ^= z >> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >> 27;
 * z *= 0x94d049bb133111eb; z ^= z >> 31).  The same id always gives the
 * same index for a seed; different ids spread uniformly. */
uint32_t sources_hash(uint64_t seed, const char *id, size_t len, uint32_t n);

#endif
