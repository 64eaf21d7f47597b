/*
 * Observed data beside simulated values, for `tokensim summary`: every row of
 * the observation tables (CSV, data/observed/README.md) whose dates the result
 * file covers is computed per run from /runs (a mean, sum, median, maximum,
 * minimum, ratio of sums, or the value on a day over the row's dates) and
 * printed as the median across runs with its 5-95 % band, beside the observed
 * value and its band: "ok" when the simulated median lies in the observation's
 * band, and whether the observed value lies in the simulated 5-95 % band.
 */
#ifndef OUTPUT_OBSERVED_H
#define OUTPUT_OBSERVED_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* The tables shipped with tokensim (a directory of *.csv). */
#ifndef TOKENSIM_DATADIR
#define TOKENSIM_DATADIR "data"
#endif
#define OBSERVED_DEFAULT_DIR TOKENSIM_DATADIR "/observed"

/* Print the observations of `sources` (files, or directories whose *.csv are
 * read in name order; NULL or none: the shipped tables, those of an installed
 * program (PREFIX/share/tokensim/data/observed) or OBSERVED_DEFAULT_DIR,
 * silently skipped when absent) that fall inside the dates of the result file at `path`, as a
 * fixed-width table or (markdown) a Markdown one. A malformed table is an
 * error naming its file and line. */
sim_status_t observed_print(const char *path, const char *const *sources, size_t nsources, int markdown,
                            FILE *out, sim_error_t *err);

#endif
