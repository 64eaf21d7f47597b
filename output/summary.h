/*
 * `tokensim summary OUT.h5`: key figures at horizons, as a table, read from
 * the file alone (its /summary group and root attributes).
 */
#ifndef OUTPUT_SUMMARY_H
#define OUTPUT_SUMMARY_H

#include <stdio.h>

#include "err.h"

/* Print the summary table of the file at `path` to `out`. */
sim_status_t summary_print(const char *path, FILE *out, sim_error_t *err);

#endif
