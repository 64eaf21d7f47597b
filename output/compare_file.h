/*
 * What `tokensim compare` adds to its result file (docs/output.md, "Comparisons"),
 * whose /runs and /summary hold both arms ([arm, runs, times]): the root
 * attribute base_scenario_name, /scenario_base, and /compare/<metric>/<stat> float64 [times]
 * for stat in base_mean, base_sd, proposal_mean, proposal_sd, diff_mean,
 * diff_sd, diff_ci_low, diff_ci_high (95 %) and variance_ratio (unpaired over
 * paired variance); and the table printed after the run (compare_table.h).
 */
#ifndef OUTPUT_COMPARE_FILE_H
#define OUTPUT_COMPARE_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

typedef struct {
    const char *path;
    const char *base_name, *proposal_name, *base_yaml, *proposal_yaml, *start_date, *version;
    int format_version;
    uint64_t seed;
    size_t runs;
    int64_t days, record_every_days;
    size_t ntimes;
    const double *time;
    size_t nmetrics;
    const char *const *names, *const *units, *const *descriptions;
    /* [nmetrics * ntimes] each */
    const double *base_mean, *base_sd, *prop_mean, *prop_sd, *diff_mean, *diff_sd, *ci_low, *ci_high,
        *var_ratio;
} compare_file_t;

/* Add the comparison to the (complete, closed) result file at file_path. */
sim_status_t compare_file_append(const char *file_path, const compare_file_t *c, sim_error_t *err);

/* The table `tokensim compare` prints: the key metrics (compare_table.h) at
 * 1, 2 and 5 years (or the horizon), with a legend. 0, or -1 when out of memory. */
int compare_print_table(const compare_file_t *c, FILE *out);

#endif
