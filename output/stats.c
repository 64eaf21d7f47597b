/*
 * Summary statistics of a sample: see stats.h. Sorting is GSL's (gsl_sort);
 * /summary, one column per recorded time and metric, selects only the order
 * statistics its quantiles need, with a quickselect of its own
 * (multi_select: see there why not gsl_stats_select).
 */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_sort.h>

const char *const stats_name[STATS_N] = { "mean", "sd", "p05", "p25", "p50", "p75", "p95" };

static const double stats_prob[STATS_N] = { 0, 0, 0.05, 0.25, 0.50, 0.75, 0.95 };

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* The median of three values. */
static double median3(double a, double b, double c)
{
    return a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
}

/* The values of a part up to SELECT_TMP long that are not under the pivot
 * wait in a buffer on the stack (larger parts are swapped in place). */
#define SELECT_TMP 2048

/* Move the values of x[0, n) under v (at or under v with or_equal) to the
 * front, the others after them; returns how many are under. One pass without
 * a branch on the values: a quickselect's comparisons are coin flips that a
 * branch predictor loses half of. Each value is written to the front and (out
 * of place) to the back, and only the matching count advances. */
static inline size_t partition_under(double *x, size_t n, double v, int or_equal, double *tmp)
{
    size_t nl = 0;
    if (n <= SELECT_TMP) {
        size_t nr = 0;
        for (size_t i = 0; i < n; i++) {
            double t = x[i];
            size_t under = or_equal ? t <= v : t < v;
            x[nl] = t;   /* nl <= i: over a value already read */
            tmp[nr] = t;
            nl += under;
            nr += 1 - under;
        }
        memcpy(x + nl, tmp, nr * sizeof *x);
    } else {
        for (size_t i = 0; i < n; i++) {   /* Lomuto's scheme */
            double t = x[i];
            x[i] = x[nl];
            x[nl] = t;
            nl += or_equal ? t <= v : t < v;
        }
    }
    return nl;
}

/* Rearrange x[lo, hi) (no NaNs) so that x[k[i]] is the order statistic it
 * would hold sorted, for the nk ascending indices k (each in [lo, hi)): a
 * quickselect that descends only into the parts holding a wanted index
 * (linear on average), parts of 16 or fewer values and parts past the depth
 * limit sorted by gsl_sort (heapsort: n log n at worst). Any such
 * rearrangement gives the same values at the wanted indices. Kept rather
 * than gsl_stats_select, which finds one index at a time with branches on
 * the values: 2.4x the time for /summary's quantiles (docs/performance.md). */
static void multi_select(double *x, size_t lo, size_t hi, const size_t *k, size_t nk, unsigned depth,
                         double *tmp)
{
    while (nk > 0 && hi - lo > 16) {
        if (depth-- == 0) {
            gsl_sort(x + lo, 1, hi - lo);
            return;
        }
        size_t n = hi - lo;
        double v = median3(x[lo], x[lo + n / 2], x[hi - 1]);
        size_t split = lo + partition_under(x + lo, n, v, 0, tmp);
        if (split == lo) {
            /* v is the least value: its copies go first, where they belong */
            lo += partition_under(x + lo, n, v, 1, tmp);
            while (nk > 0 && k[0] < lo) {
                k++;
                nk--;
            }
            continue;
        }
        size_t s = 0;   /* x[lo, split) < v <= x[split, hi), both shorter than n */
        while (s < nk && k[s] < split)
            s++;
        multi_select(x, lo, split, k, s, depth, tmp);
        lo = split;
        k += s;
        nk -= s;
    }
    if (nk > 0)
        gsl_sort(x + lo, 1, hi - lo);
}

/* The guard: 2 log2(n) partitions, then a sort. */
static unsigned depth_limit(size_t n)
{
    unsigned depth = 0;
    for (size_t k = n; k > 1; k >>= 1)
        depth += 2;
    return depth;
}

size_t stats_sort(double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            swap(&x[m++], &x[i]);
    gsl_sort(x, 1, m);
    return m;
}

double stats_quantile_sorted(const double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)h;
    if (lo >= n - 1)
        return x[n - 1];
    double frac = h - (double)lo;
    /* Return order statistics exactly (also avoids inf - inf = NaN). */
    if (frac == 0 || x[lo] == x[lo + 1])
        return x[lo];
    return x[lo] + frac * (x[lo + 1] - x[lo]);
}

/* Whether the n > 0 values are one and the same double, bit for bit (so that
 * -0 and +0 count as two: the selection could return either). */
static int all_same(const double *x, size_t n)
{
    uint64_t first;
    memcpy(&first, &x[0], sizeof first);
    for (size_t i = 1; i < n; i++) {
        uint64_t b;
        memcpy(&b, &x[i], sizeof b);
        if (b != first)
            return 0;
    }
    return 1;
}

void stats_summarise(double *x, size_t n, double out[STATS_N])
{
    int nan = n == 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        nan |= isnan(x[i]);
        sum += x[i];
    }
    if (nan) {
        for (int k = 0; k < STATS_N; k++)
            out[k] = NAN;
        return;
    }
    /* a column every run shares (a metric the scenario leaves at zero, day 0,
     * inflation at its cap) has its one value as mean and every quantile, and
     * sd 0: exactly, where sum / n rounds (100 x 0.15 give a mean 2.5e-16
     * off and an sd of 2.5e-16) */
    if (all_same(x, n)) {
        for (int k = 0; k < STATS_N; k++)
            out[k] = k == STATS_SD ? 0.0 : x[0];
        return;
    }
    /* in run order, before x is rearranged */
    double mean = sum / (double)n;
    /* Two passes: the deviations are small next to the values (supply ~ 1e8). */
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    out[STATS_MEAN] = mean;
    out[STATS_SD] = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;

    /* the quantiles need only the order statistics either side of (n - 1) p:
     * select those instead of sorting */
    size_t want[2 * STATS_N], nw = 0;
    for (int k = STATS_P05; k < STATS_N; k++) {
        size_t lo = (size_t)((double)(n - 1) * stats_prob[k]);
        for (size_t idx = lo; idx <= lo + 1 && idx < n; idx++)
            if (nw == 0 || want[nw - 1] < idx)
                want[nw++] = idx;
    }
    double tmp[SELECT_TMP];
    multi_select(x, 0, n, want, nw, depth_limit(n), tmp);
    for (int k = STATS_P05; k < STATS_N; k++)
        out[k] = stats_quantile_sorted(x, n, stats_prob[k]);
}
