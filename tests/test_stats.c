/*
 * The summary statistics of output/stats.c: the sort (NaN last), type-7
 * quantiles of sorted samples, and stats_summarise (mean, sd, the quantiles by
 * selection). The first four tests moved here from tests/test_h5out.c
 * unchanged; the rest are small samples by hand.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "stats.h"

#define NRUNS 5

/* A column out of order (tests/test_h5out.c writes it as metric 0 at time 1). */
static const double special[NRUNS] = { 2.385, 1.5, 4.25, 3.0, 0.75 };

static uint64_t lcg(uint64_t *s)
{
    *s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return *s >> 33;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Test samples of n values: spread (kind 0), few distinct (1), sorted (2),
 * reversed (3). */
static void sample(double *x, size_t n, int kind, uint64_t *s)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v = lcg(s);
        x[i] = kind == 0 ? (double)v / 7.0 - 1e8
               : kind == 1 ? (double)(v % 3)
               : kind == 2 ? (double)i
               : kind == 3 ? (double)(n - i)
               : kind == 4 ? 0.1                          /* one value: no selection */
               : kind == 5 ? (v % 2 ? 0.0 : -0.0)         /* equal, not the same bits */
                           : (i + 1 == n ? 0.2 : 0.1);    /* one value but the last */
    }
}

static void test_stats_sort(void **state)
{
    (void)state;
    /* Sizes around the selection's cut-off to gsl_sort (16), few distinct values, sorted input. */
    static const size_t sizes[] = { 0, 1, 2, 15, 16, 17, 100, 1000, 4097 };
    uint64_t s = 42;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (int kind = 0; kind < 4; kind++) {
            size_t n = sizes[k];
            double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
            assert_non_null(x);
            assert_non_null(y);
            sample(x, n, kind, &s);
            memcpy(y, x, n * sizeof *x);
            assert_int_equal(stats_sort(x, n), n);
            qsort(y, n, sizeof *y, cmp_double);
            if (n > 0)
                assert_memory_equal(x, y, n * sizeof *x);
            free(x);
            free(y);
        }
}

/* The selected quantiles are those of the sorted sample, exactly, also for a
 * sample of one value (which skips the selection); the mean is the sum in the
 * given order over n, except for a sample of one value, whose mean is that
 * value and whose sd is 0, exactly (0.1 summed n times and divided by n is not
 * 0.1 for most n). */
static void test_stats_select_matches_sort(void **state)
{
    (void)state;
    static const size_t sizes[] = { 1, 2, 3, 15, 16, 17, 18, 20, 33, 100, 1000, 2048, 2049, 4097 };
    static const double prob[STATS_N] = { 0, 0, 0.05, 0.25, 0.50, 0.75, 0.95 };
    uint64_t s = 7;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (int kind = 0; kind < 7; kind++) {
            size_t n = sizes[k];
            double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
            assert_non_null(x);
            assert_non_null(y);
            sample(x, n, kind, &s);
            memcpy(y, x, n * sizeof *x);
            double sum = 0;
            for (size_t i = 0; i < n; i++)
                sum += x[i];
            double out[STATS_N];
            stats_summarise(x, n, out);
            qsort(y, n, sizeof *y, cmp_double);
            int one_value = kind == 4 || n == 1;
            assert_true(out[STATS_MEAN] == (one_value ? x[0] : sum / (double)n));
            if (one_value)
                assert_true(out[STATS_SD] == 0.0);
            for (int q = STATS_P05; q < STATS_N; q++)
                assert_true(out[q] == stats_quantile_sorted(y, n, prob[q]));
            if (kind == 4) {
                assert_true(out[STATS_MEAN] == 0.1);
                for (int q = STATS_P05; q < STATS_N; q++)
                    assert_true(out[q] == 0.1);
            }
            free(x);
            free(y);
        }
}

static void test_stats_nan(void **state)
{
    (void)state;
    double x[5] = { 3.0, NAN, 1.5, NAN, 2.385 };
    assert_int_equal(stats_sort(x, 5), 3);
    assert_true(x[0] == 1.5 && x[1] == 2.385 && x[2] == 3.0);
    assert_true(isnan(x[3]) && isnan(x[4]));
    double y[3] = { 1.0, NAN, 2.0 }, out[STATS_N];
    stats_summarise(y, 3, out);
    for (int k = 0; k < STATS_N; k++)
        assert_true(isnan(out[k]));
}

static void test_stats_values(void **state)
{
    (void)state;
    double x[NRUNS];
    memcpy(x, special, sizeof x);
    double out[STATS_N];
    stats_summarise(x, NRUNS, out);
    /* sorted: 0.75 1.5 2.385 3.0 4.25; sum 11.885, mean 2.377;
     * squared deviations 2.647129 + 0.769129 + 0.000064 + 0.388129 + 3.508129
     * = 7.31258, / (n - 1) = 1.828145; quantile h = 4p:
     * p05 h=0.2: 0.75 + 0.2 * 0.75 = 0.9; p25 h=1: 1.5; p50 h=2: 2.385;
     * p75 h=3: 3.0; p95 h=3.8: 3.0 + 0.8 * 1.25 = 4.0 */
    assert_close(out[STATS_MEAN], 2.377, 1e-14, 0);
    assert_close(out[STATS_SD], sqrt(1.828145), 1e-14, 0);
    assert_close(out[STATS_P05], 0.9, 1e-14, 0);
    assert_close(out[STATS_P25], 1.5, 0, 0);
    assert_close(out[STATS_P50], 2.385, 0, 0);
    assert_close(out[STATS_P75], 3.0, 0, 0);
    assert_close(out[STATS_P95], 4.0, 1e-14, 0);

    double one = 2.385;
    stats_summarise(&one, 1, out);
    assert_close(out[STATS_SD], 0, 0, 0);
    for (int k = STATS_P05; k < STATS_N; k++)
        assert_close(out[k], 2.385, 0, 0);
}

/* --- by hand ------------------------------------------------------------ */

/* Type 7: h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). */

static void test_quantile_empty_is_nan(void **state)
{
    (void)state;
    double x[1] = { 1.0 };
    assert_true(isnan(stats_quantile_sorted(x, 0, 0.0)));
    assert_true(isnan(stats_quantile_sorted(x, 0, 0.5)));
    assert_true(isnan(stats_quantile_sorted(x, 0, 1.0)));
    double out[STATS_N];
    stats_summarise(x, 0, out);
    for (int k = 0; k < STATS_N; k++)
        assert_true(isnan(out[k]));
}

static void test_quantile_one_value(void **state)
{
    (void)state;
    /* n = 1: h = 0 for every p, the value itself */
    const double x[1] = { -7.25 };
    const double ps[] = { 0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0 };
    for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++)
        assert_true(stats_quantile_sorted(x, 1, ps[k]) == -7.25);
}

static void test_quantile_two_values(void **state)
{
    (void)state;
    /* n = 2, {1, 3}: h = p, so the quantile is 1 + 2p */
    const double x[2] = { 1.0, 3.0 };
    assert_true(stats_quantile_sorted(x, 2, 0.0) == 1.0);
    assert_close(stats_quantile_sorted(x, 2, 0.05), 1.1, 1e-15, 0);   /* 1 + 0.05 x 2 */
    assert_true(stats_quantile_sorted(x, 2, 0.25) == 1.5);            /* 1 + 0.25 x 2 */
    assert_true(stats_quantile_sorted(x, 2, 0.5) == 2.0);             /* 1 + 0.5 x 2 */
    assert_true(stats_quantile_sorted(x, 2, 0.75) == 2.5);            /* 1 + 0.75 x 2 */
    assert_close(stats_quantile_sorted(x, 2, 0.95), 2.9, 1e-15, 0);   /* 1 + 0.95 x 2 */
    assert_true(stats_quantile_sorted(x, 2, 1.0) == 3.0);             /* h = 1: the last */
}

static void test_quantile_ties(void **state)
{
    (void)state;
    /* sorted {1, 2, 2, 2, 5}: h = 4p */
    const double x[5] = { 1.0, 2.0, 2.0, 2.0, 5.0 };
    assert_close(stats_quantile_sorted(x, 5, 0.05), 1.2, 1e-15, 0);   /* h 0.2: 1 + 0.2 x (2 - 1) */
    assert_true(stats_quantile_sorted(x, 5, 0.25) == 2.0);            /* h 1: x[1] */
    assert_true(stats_quantile_sorted(x, 5, 0.3) == 2.0);             /* h 1.2: between equal x[1], x[2] */
    assert_true(stats_quantile_sorted(x, 5, 0.5) == 2.0);             /* h 2: x[2] */
    assert_true(stats_quantile_sorted(x, 5, 0.75) == 2.0);            /* h 3: x[3] */
    assert_close(stats_quantile_sorted(x, 5, 0.95), 4.4, 1e-15, 0);   /* h 3.8: 2 + 0.8 x (5 - 2) */
    assert_true(stats_quantile_sorted(x, 5, 1.0) == 5.0);
}

static void test_quantile_infinite_values(void **state)
{
    (void)state;
    /* order statistics are returned exactly, so inf next to inf is inf (inf - inf
     * would be NaN), and a step from a finite value to inf is inf (the offset
     * spend of tokensim issuance is inf for a run with no net burn) */
    const double x[3] = { 1.0, INFINITY, INFINITY };
    assert_true(stats_quantile_sorted(x, 3, 0.0) == 1.0);
    assert_true(stats_quantile_sorted(x, 3, 0.25) == INFINITY);   /* h 0.5: 1 + 0.5 x inf */
    assert_true(stats_quantile_sorted(x, 3, 0.5) == INFINITY);    /* h 1: x[1] */
    assert_true(stats_quantile_sorted(x, 3, 0.75) == INFINITY);   /* h 1.5: x[1] == x[2] */
    assert_true(stats_quantile_sorted(x, 3, 1.0) == INFINITY);
    double y[4] = { INFINITY, 2.0, NAN, 1.0 };
    assert_int_equal(stats_sort(y, 4), 3);
    assert_true(y[0] == 1.0 && y[1] == 2.0 && y[2] == INFINITY && isnan(y[3]));
}

static void test_sort_small_and_nan_only(void **state)
{
    (void)state;
    double none[1] = { 0.0 };
    assert_int_equal(stats_sort(none, 0), 0);
    double one[1] = { 4.0 };
    assert_int_equal(stats_sort(one, 1), 1);
    assert_true(one[0] == 4.0);
    double two[2] = { 3.0, -1.0 };
    assert_int_equal(stats_sort(two, 2), 2);
    assert_true(two[0] == -1.0 && two[1] == 3.0);
    double nans[3] = { NAN, NAN, NAN };
    assert_int_equal(stats_sort(nans, 3), 0);
    assert_true(isnan(nans[0]) && isnan(nans[1]) && isnan(nans[2]));
    /* ties and a NaN among them: the NaN goes last, the ties stay together */
    double t[6] = { 2.0, NAN, 2.0, 1.0, 2.0, 0.5 };
    assert_int_equal(stats_sort(t, 6), 5);
    const double want[5] = { 0.5, 1.0, 2.0, 2.0, 2.0 };
    assert_memory_equal(t, want, sizeof want);
    assert_true(isnan(t[5]));
}

static void test_summarise_two_values(void **state)
{
    (void)state;
    /* {3, 1}: mean 2; deviations 1, -1, sum of squares 2, / (n - 1 = 1) = 2, sd sqrt(2);
     * quantiles 1 + 2p: p05 1.1, p25 1.5, p50 2, p75 2.5, p95 2.9 */
    double x[2] = { 3.0, 1.0 }, out[STATS_N];
    stats_summarise(x, 2, out);
    assert_true(out[STATS_MEAN] == 2.0);
    assert_close(out[STATS_SD], sqrt(2.0), 1e-15, 0);
    assert_close(out[STATS_P05], 1.1, 1e-15, 0);
    assert_true(out[STATS_P25] == 1.5);
    assert_true(out[STATS_P50] == 2.0);
    assert_true(out[STATS_P75] == 2.5);
    assert_close(out[STATS_P95], 2.9, 1e-15, 0);
}

static void test_summarise_ties(void **state)
{
    (void)state;
    /* {2, 5, 2, 1, 2}: sum 12, mean 2.4; squared deviations 0.16 x 3 + 6.76 + 1.96 = 9.2,
     * / 4 = 2.3, sd sqrt(2.3); sorted {1, 2, 2, 2, 5}: p05 1.2, p25 = p50 = p75 = 2, p95 4.4 */
    double x[5] = { 2.0, 5.0, 2.0, 1.0, 2.0 }, out[STATS_N];
    stats_summarise(x, 5, out);
    assert_close(out[STATS_MEAN], 2.4, 1e-15, 0);
    assert_close(out[STATS_SD], sqrt(2.3), 1e-14, 0);
    assert_close(out[STATS_P05], 1.2, 1e-15, 0);
    assert_true(out[STATS_P25] == 2.0);
    assert_true(out[STATS_P50] == 2.0);
    assert_true(out[STATS_P75] == 2.0);
    assert_close(out[STATS_P95], 4.4, 1e-15, 0);
}

static void test_summarise_one_value_repeated(void **state)
{
    (void)state;
    /* 100 copies of 0.15: sum / 100 would not be 0.15 exactly; the mean and every
     * quantile are 0.15 and the sd 0, exactly */
    double x[100], out[STATS_N];
    for (int i = 0; i < 100; i++)
        x[i] = 0.15;
    stats_summarise(x, 100, out);
    for (int k = 0; k < STATS_N; k++)
        assert_true(out[k] == (k == STATS_SD ? 0.0 : 0.15));
    /* -0 and +0 are equal but not the same bits: mean 0, sd 0 by the sums */
    double z[4] = { 0.0, -0.0, 0.0, -0.0 };
    stats_summarise(z, 4, out);
    for (int k = 0; k < STATS_N; k++)
        assert_true(out[k] == 0.0);
}

static void test_summarise_nan_anywhere(void **state)
{
    (void)state;
    /* one NaN in any place makes every statistic NaN, also for n = 1 */
    for (size_t at = 0; at < 4; at++) {
        double x[4] = { 1.0, 2.0, 3.0, 4.0 }, out[STATS_N];
        x[at] = NAN;
        stats_summarise(x, 4, out);
        for (int k = 0; k < STATS_N; k++)
            assert_true(isnan(out[k]));
    }
    double one = NAN, out[STATS_N];
    stats_summarise(&one, 1, out);
    for (int k = 0; k < STATS_N; k++)
        assert_true(isnan(out[k]));
}

static void test_stat_names(void **state)
{
    (void)state;
    const char *want[STATS_N] = { "mean", "sd", "p05", "p25", "p50", "p75", "p95" };
    for (int k = 0; k < STATS_N; k++)
        assert_string_equal(stats_name[k], want[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_sort),
        cmocka_unit_test(test_stats_nan),
        cmocka_unit_test(test_stats_select_matches_sort),
        cmocka_unit_test(test_stats_values),
        cmocka_unit_test(test_quantile_empty_is_nan),
        cmocka_unit_test(test_quantile_one_value),
        cmocka_unit_test(test_quantile_two_values),
        cmocka_unit_test(test_quantile_ties),
        cmocka_unit_test(test_quantile_infinite_values),
        cmocka_unit_test(test_sort_small_and_nan_only),
        cmocka_unit_test(test_summarise_two_values),
        cmocka_unit_test(test_summarise_ties),
        cmocka_unit_test(test_summarise_one_value_repeated),
        cmocka_unit_test(test_summarise_nan_anywhere),
        cmocka_unit_test(test_stat_names),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
