/*
 * `tokensim compare BASE PROPOSAL`: a campaign (runner.h) of two points,
 * "base" and "proposal", paired run by run with common random numbers:
 * replication k of both arms draws from the same streams (seed, k, purpose),
 * so run-by-run differences isolate the proposal. Statistics are accumulated
 * in replication order (bit-identical for any thread count) in bounded
 * memory: per metric and time, each arm's mean and sd, and the paired
 * difference's mean, sd and 95 % confidence interval (Student t), with the
 * variance reduction against unpaired sampling, var(base) + var(proposal)
 * over var(difference). The runs of both arms are streamed to the result
 * file as [arm, runs, times]; /compare holds the statistics.
 */
#ifndef SIM_COMPARE_H
#define SIM_COMPARE_H

#include <stddef.h>

#include "compare_file.h"
#include "err.h"
#include "metric_table.h"
#include "params.h"
#include "runner.h"

typedef struct {
    /* what /compare holds and the table prints (compare_file.h): complete on
     * rank 0 once compare_campaign succeeded */
    compare_file_t file;
    const params_t *arm[2];     /* base, proposal */
    const char *names[METRIC_COUNT], *units[METRIC_COUNT], *descriptions[METRIC_COUNT];
    char *base_yaml;
    double *time;               /* [ntimes] */
    /* [METRIC_COUNT * ntimes] each, metric-major */
    double *base_mean, *base_sd, *prop_mean, *prop_sd;
    double *diff_mean, *diff_sd, *ci_low, *ci_high, *var_ratio;
    double *m2_base, *m2_prop, *m2_diff;   /* Welford's sums of squares */
} compare_t;

/* Check that two scenarios can be paired (same days, record interval and seed). */
sim_status_t compare_check(const params_t *base, const params_t *proposal, sim_error_t *err);

/* The comparison into opts->out_path, `proposal` the file's scenario (its
 * runs for both arms): opts gives the output, threads, progress and --force;
 * the command, the points and the parameters are the comparison's, and a
 * comparison keeps no partial file (it starts again). Under MPI every rank
 * calls it; rank 0's *cmp holds the statistics, the status is every rank's.
 * Free *cmp with compare_free whatever the outcome. */
sim_status_t compare_campaign(const params_t *base, const params_t *proposal, const runner_opts_t *opts,
                              compare_t *cmp, runner_stats_t *stats, sim_error_t *err);

void compare_free(compare_t *cmp);

#endif
