/* Tenants: the tabulated lognormal against its law (moments of the log, the
 * median, the tail), with tolerances from the sample size. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_statistics_double.h>

#include "rng.h"
#include "tenants.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_tabulated_lognormal_follows_its_law(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.resources[RES_CPU].duration_median_days = 5.5;
    p.tenants.duration_sigma = 1.5;
    tenants_t t;
    assert_int_equal(tenants_alloc(&t, &p), 0);
    gsl_rng *r = rng_stream_alloc(2385, 0, 0, RNG_DEMAND);
    const size_t n = 400000;
    double *logs = malloc(n * sizeof *logs);
    size_t above = 0;
    double q999 = 5.5 * exp(1.5 * 3.090232306167813);   /* the 99.9 % quantile */
    for (size_t i = 0; i < n; i++) {
        double x = tenants_lognormal(&t.days_table[RES_CPU], r);
        assert_true(x > 0);
        logs[i] = log(x);
        above += x > q999;
    }
    double mean = gsl_stats_mean(logs, 1, n), sd = gsl_stats_sd(logs, 1, n);
    /* log of a lognormal(mu, sigma) draw is N(mu, sigma^2): 5 standard errors */
    assert_close(mean, log(5.5), 0, 5 * 1.5 / sqrt((double)n));
    assert_close(sd, 1.5, 0, 5 * 1.5 / sqrt(2.0 * n));
    qsort(logs, n, sizeof *logs, cmp);
    /* the median: sd of the sample median ~ 1.2533 sigma / sqrt n */
    assert_close(logs[n / 2], log(5.5), 0, 5 * 1.2533 * 1.5 / sqrt((double)n));
    /* the tail beyond the table is drawn exactly: 0.1 % above q999, binomial sd */
    assert_close((double)above / n, 0.001, 0, 5 * sqrt(0.001 * 0.999 / n));
    free(logs);
    gsl_rng_free(r);
    tenants_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tabulated_lognormal_follows_its_law),
    };
    return cmocka_run_group_tests_name("tenants", tests, NULL, NULL);
}
