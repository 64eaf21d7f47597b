/*
 * Numbers as the tables of `tokensim summary` print them: thousands separators
 * from 10,000 up (token amounts, dollars), six significant digits below, and a
 * value per run summarised as "median [p05, p95]".
 */
#ifndef OUTPUT_NUMFMT_H
#define OUTPUT_NUMFMT_H

#include <stddef.h>

/* x readable: "230,816,799", "0.578", "-1,234". */
void numfmt_readable(double x, char *buf, size_t size);

/* vals[n] (one value a run) as "median [p05, p95]"; sorts vals. */
void numfmt_band(double *vals, size_t n, char *buf, size_t size);

#endif
