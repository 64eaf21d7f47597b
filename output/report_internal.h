/*
 * Between the parts of `tokensim report`: the reports of comparisons and
 * sweeps (report_points.c), and what every report uses.
 */
#ifndef OUTPUT_REPORT_INTERNAL_H
#define OUTPUT_REPORT_INTERNAL_H

#include <stddef.h>

#include <hdf5.h>

#include "err.h"

/* A comparison: per headline metric, both arms and the paired difference. */
sim_status_t report_compare(const char *h5path, const char *dir, sim_error_t *err);

/* A sweep: per output metric, a line a point; a morris or saltelli sweep's
 * sensitivity charts instead. */
sim_status_t report_sweep(const char *h5path, const char *dir, sim_error_t *err);

/* The file has /summary/<name>. */
int report_has_metric(hid_t f, const char *name);

/* "burned (AKT/day) and burn_mint_ratio (fraction) are 0 in EVERY: nothing
 * to draw." for metrics that are 0 throughout. */
void report_zero_sentence(hid_t f, const char *const *names, size_t n, const char *every, char *buf, size_t len);

/* `tokensim summary`'s text of the file (malloc'd), or its error. */
sim_status_t report_summary(const char *h5path, char **text, sim_error_t *err);

#endif
