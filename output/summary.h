/*
 * `tokensim summary OUT.h5`: key figures at horizons, as a table, read from
 * the file alone (its /summary group and root attributes).
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
} summary_opts_t;

/* Print the summary of the file at `path` to `out`: the horizons' table, issuance
 * and burns, and the observations that fall inside the file's dates. opts may
 * be NULL (everything, the shipped observations). */
sim_status_t summary_print(const char *path, const summary_opts_t *opts, FILE *out, sim_error_t *err);

#endif
