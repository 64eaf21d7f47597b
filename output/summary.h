/*
 * `tokensim summary OUT.h5`: key figures at horizons, as a table, read from
 * the file alone: of a run file its /summary group and root attributes; of a
 * comparison file (command "compare") each arm's mean and the paired
 * difference (compare_summary.h); of a sweep file its points or its
 * sensitivity ranking (sweep_summary.h).
 */
#ifndef OUTPUT_SUMMARY_H
#define OUTPUT_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

typedef struct {
    const char *const *observed;    /* observation tables (observed.h); none: the shipped ones */
    size_t nobserved;
    int observed_only;              /* print the observations' table alone */
    int markdown;                   /* that table in Markdown */
    /* nmetrics > 0: these metrics, in this order, instead of the default list
     * (an unknown name is SIM_EINVAL naming it and the nearest names) */
    const char *const *metrics;
    size_t nmetrics;
    /* nat > 0: these days instead of the default horizons, each at the last
     * recorded time at or before it (a day past the file's last recorded day
     * is SIM_EINVAL naming it) */
    const double *at_days;
    size_t nat;
} summary_opts_t;

/* Print the summary of the file at `path` to `out`: the horizons' table, issuance
 * and burns, and the observations that fall inside the file's dates. opts may
 * be NULL (everything, the shipped observations). */
sim_status_t summary_print(const char *path, const summary_opts_t *opts, FILE *out, sim_error_t *err);

#endif
