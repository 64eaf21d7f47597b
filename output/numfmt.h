/*
 * Numbers as the tables of `tokensim summary` and `tokensim compare` print
 * them: thousands separators from 10,000 up (token amounts, dollars), six
 * significant digits below, and a value per run summarised as
 * "median [p05, p95]"; or, where a row's numbers must line up and compare
 * (a comparison's means, difference and interval), a fixed number of
 * decimals chosen from the row's magnitude, never an exponent.
 */
#ifndef OUTPUT_NUMFMT_H
#define OUTPUT_NUMFMT_H

#include <stddef.h>

/* x readable: "230,816,799", "0.578", "-1,234". */
void numfmt_readable(double x, char *buf, size_t size);

/* vals[n] (one value a run) as "median [p05, p95]"; sorts vals. */
void numfmt_band(double *vals, size_t n, char *buf, size_t size);

/* Most decimals numfmt_decimals gives. */
#define NUMFMT_MAX_DECIMALS 8

/* The decimals that show `digits` significant digits of a number as large as
 * |scale|: 0 from 10^(digits-1) up, NUMFMT_MAX_DECIMALS at most; 0 for a
 * scale of 0 or not finite. */
int numfmt_decimals(double scale, int digits);

/* x with `decimals` decimals and thousands separators in its whole part:
 * "279,467,123", "-1,234.5", "0.00012"; never an exponent, never "-0"
 * (a value that rounds to zero is printed unsigned); "nan", "inf", "-inf". */
void numfmt_fixed(double x, int decimals, char *buf, size_t size);

#endif
