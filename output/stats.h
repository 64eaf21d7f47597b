/*
 * Summary statistics of one sample (one time column across runs): mean,
 * sample sd (n - 1; 0 for one value) and quantiles by linear interpolation
 * between order statistics (Hyndman & Fan type 7, numpy's default).
 * A sample containing NaN has every statistic NaN.
 */
#ifndef OUTPUT_STATS_H
#define OUTPUT_STATS_H

#include <stddef.h>

/* Index of each statistic in a stats_summarise() result. */
enum { STATS_MEAN, STATS_SD, STATS_P05, STATS_P25, STATS_P50, STATS_P75, STATS_P95, STATS_N };

/* Dataset names under /summary/<metric>/, by index: "mean", "sd", "p05", ... */
extern const char *const stats_name[STATS_N];

/* Sort x ascending, NaN last; returns the number of non-NaN values (they come first). */
size_t stats_sort(double *x, size_t n);

/* Type-7 quantile of sorted, NaN-free x[0..n), 0 <= p <= 1; NaN when n == 0. */
double stats_quantile_sorted(const double *x, size_t n, double p);

/* Fill out[STATS_N] from x, which it rearranges. Sums run over x in the order
 * given (run order for /summary), except that n copies of one value (the same
 * bits) have that value as mean and sd 0, exactly; the quantiles are exact
 * order statistics, selected rather than sorted. */
void stats_summarise(double *x, size_t n, double out[STATS_N]);

#endif
