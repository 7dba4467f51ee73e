/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_samples.h — one realistic instance of every RAS message (several
 * for the ones the traversal service lives on), shared by the round-trip
 * test, the Wireshark check, and the fuzzers' seed corpus.
 *
 * Each sample's values are also written down in test_h225_tshark.py, which
 * checks Wireshark decodes them to the same thing; change both together.
 */
#ifndef SL_H225_SAMPLES_H
#define SL_H225_SAMPLES_H

#include "h225_ras.h"

struct h225_sample {
	const char *name;
	void (*build)(struct h225_ras_msg *m);
};

extern const struct h225_sample h225_samples[];
extern const size_t h225_samples_count;

#endif /* SL_H225_SAMPLES_H */
