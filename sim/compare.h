/*
 * `tokensim compare BASE PROPOSAL`: paired runs with common random numbers.
 * Replication k of both arms draws from the same streams (seed, k, purpose), so
 * run-by-run differences isolate the proposal. Statistics are accumulated in
 * replication order (bit-identical for any thread count) in bounded memory:
 * per metric and time, each arm's mean and sd, and the paired difference's mean,
 * sd and 95 % confidence interval (Student t), with the variance reduction
 * against unpaired sampling, var(base) + var(proposal) over var(difference).
 * The runs of both arms are streamed to the result file as [arm, runs, times].
 */
#ifndef SIM_COMPARE_H
#define SIM_COMPARE_H

#include <stddef.h>

#include "err.h"
#include "h5out.h"
#include "params.h"

typedef struct {
    size_t ntimes;
    double *time;           /* [ntimes] */
    /* [METRIC_COUNT * ntimes] each, metric-major */
    double *base_mean, *base_sd, *prop_mean, *prop_sd;
    double *diff_mean, *diff_sd, *ci_low, *ci_high, *var_ratio;
    size_t runs;
} compare_result_t;

/* Check that two scenarios can be paired (same days, record interval and seed). */
sim_status_t compare_check(const params_t *base, const params_t *proposal, sim_error_t *err);

/* Run `base` and `proposal` pairwise; each batch of runs goes to `file` (if not
 * NULL) as points 0 (base) and 1 (proposal). Under MPI (dist.h) every rank
 * calls it and simulates a slice of each batch; rank 0 gathers them, and only
 * its `file` (NULL on the others) and `out` hold the results; the status is
 * every rank's. */
sim_status_t compare_run(const params_t *base, const params_t *proposal, int threads, int progress,
                         h5out_t *file, compare_result_t *out, sim_error_t *err);

void compare_result_free(compare_result_t *r);

#endif
