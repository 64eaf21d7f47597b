/*
 * The table of a comparison (`tokensim compare`, and `tokensim summary` of a
 * comparison file): per metric and recorded day, each arm's mean across runs,
 * the mean paired difference (proposal - base), it as a percentage of the
 * base mean, its 95 % interval, a verdict, and the variance reduction of
 * pairing; a legend under it says what the marks mean. Numbers have
 * thousands separators and, within a row, the same decimals (five
 * significant digits of the larger mean), never an exponent.
 */
#ifndef OUTPUT_COMPARE_TABLE_H
#define OUTPUT_COMPARE_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "compare_file.h"

/* The key metrics of a comparison, in order: the default list of both tables. */
extern const char *const compare_headline[];
extern const size_t compare_nheadline;

/* A difference under this fraction of |base mean| is practically nil. */
#define COMPARE_NIL_FRACTION 1e-4

typedef enum {
    COMPARE_UNCLEAR,        /* the 95 % interval includes 0 */
    COMPARE_CLEAR,          /* it excludes 0 */
    COMPARE_NIL,            /* it excludes 0 (or every paired difference is 0), but the
                             * difference is under COMPARE_NIL_FRACTION of |base mean| */
} compare_verdict_t;

compare_verdict_t compare_verdict(double base_mean, double diff_mean, double diff_sd, double ci_low,
                                  double ci_high);

/* The verdict's word in the table: "clear", "nil", "unclear". */
const char *compare_verdict_name(compare_verdict_t v);

/* Print the rows of c's metrics metric[nm] (indices into c->names) at the
 * recorded times time_idx[nt] (indices into c->time), then the legend.
 * 0, or -1 when out of memory (nothing printed). */
int compare_table_print(const compare_file_t *c, const size_t *metric, size_t nm, const size_t *time_idx,
                        size_t nt, FILE *out);

#endif
