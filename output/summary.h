/*
 * `tokensim summary OUT.h5`: key figures at horizons, as a table, read from
 * the file alone (its /summary group and root attributes).
 */
#ifndef OUTPUT_SUMMARY_H
#define OUTPUT_SUMMARY_H

#include <stdio.h>

#include "err.h"

/* Readable numbers: thousands separators from 10,000 up (token amounts),
 * six significant digits below, exponent form for the very large or small. */
void summary_format_number(double x, char *buf, size_t size);

/* Print the summary table of the file at `path` to `out`. */
sim_status_t summary_print(const char *path, FILE *out, sim_error_t *err);

#endif
