/*
 * `tokensim summary OUT.h5`: key figures at horizons, as a table, read from
 * the file alone (its /summary group and root attributes).
 */
#ifndef OUTPUT_SUMMARY_H
#define OUTPUT_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Print the summary of the file at `path` to `out`: the horizons' table, issuance
 * and burns, and the observations of `observed` (observed.h; none: the shipped
 * tables) that fall inside the file's dates. */
sim_status_t summary_print(const char *path, const char *const *observed, size_t nobserved, FILE *out,
                           sim_error_t *err);

#endif
