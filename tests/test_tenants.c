/* Tenants: the tabulated lognormal against its law (moments of the log, the
 * median, the tail), with tolerances from the sample size; cohorts that keep
 * every order, share out the denominations and fundings as single orders
 * would, and sample sizes by Latin hypercube; single orders drawn in batches
 * that are the orders drawn one by one. */
#include "test_util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
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

/* Cohorts: every order is in exactly one cohort or, when a class's cohorts
 * hold more than one order, single if its size is in the law's top
 * tenants.cohort_single_share (the cohorts' sizes below it, the singles' above, about
 * that share of the deployments); a class of at most K orders that day has
 * only single orders, of any size (drawn as the exact model draws them);
 * a cell's cohorts differ by at most one
 * order; at most K + 3 cohorts a class (the GPU classes' own K when Kgpu is
 * set: 18 to 60 orders a day each here, single orders at K = 64 and cohorts of
 * 5 to 15 at Kgpu = 4); the USDC and funded shares of the deployments are
 * binomial; and the stratified sizes put the share of deployments at or under
 * 0.5 vCPU (size < 0.55 before rounding) at Phi(log(1.1) / sigma) far more
 * tightly than independent draws would. */
static void check_cohorts_keep_every_order(int64_t K, int64_t Kgpu, double single_share)
{
    params_t p;
    params_defaults(&p);
    p.tenants.cohort_single_share = single_share;
    p.tenants.orders_per_day = 6000;
    p.tenants.shock_volatility = 0;
    p.tenants.seasonality_amplitude = 0;
    p.tenants.cohorts_per_day = K;
    p.tenants.gpu_cohorts_per_day = Kgpu;
    tenants_t t;
    assert_int_equal(tenants_alloc(&t, &p), 0);
    tenants_reset(&t, &p);
    gsl_rng *r = rng_stream_alloc(2385, 0, 0, RNG_DEMAND);
    const int days = 100;
    int64_t total = 0, usdc = 0, funded = 0, small = 0, cpu = 0, gpu_cohorts = 0, gpu_entries = 0, cheap = 0;
    int64_t singles = 0, singles_large = 0;   /* orders of classes at g = 1; of them, sized in the tail */
    int64_t astride = 0;   /* cohorts with deployments either side of cheap_below */
    int64_t tail[RES_COUNT] = {0}, grouped[RES_COUNT] = {0};  /* deployments single in the tail, in cohorts */
    int32_t tail_units[RES_COUNT];   /* the size at the tail's lower end, rounded as an order's */
    for (int c = 0; c < RES_COUNT; c++) {
        int64_t step = resource_is_gpu((resource_t)c) ? MILLI : MILLI / 10;
        double at = tenants_lognormal_at(&t.size_table[c], 1.0 - p.tenants.cohort_single_share) * MILLI / (double)step;
        tail_units[c] = (int32_t)((int64_t)(at + 0.5) * step);
    }
    /* a maximum price under the median's exp(-0.5 sigma): a share Phi(-0.5) of the orders */
    double cheap_below = t.log_max_price[RES_CPU] - 0.5 * p.tenants.max_price_sigma;
    for (int day = 1; day <= days; day++) {
        long n = tenants_arrive(&t, &p, day, r);
        assert_true(n > 0);
        total += n;
        int64_t sum = 0, cohorts[RES_COUNT] = {0};
        int32_t lo[RES_COUNT][4], hi[RES_COUNT][4];
        for (int c = 0; c < RES_COUNT; c++)
            for (int k = 0; k < 4; k++) {
                lo[c][k] = INT32_MAX;
                hi[c][k] = 0;
            }
        /* the day's entries first: a class's orders that day decide its g */
        static order_t day_orders[20000];
        size_t nd = 0;
        int64_t of_class[RES_COUNT] = {0};
        while (nd < sizeof day_orders / sizeof *day_orders && tenants_pop(&t, &day_orders[nd]) == 0)
            of_class[day_orders[nd].cls] += day_orders[nd].count, nd++;
        assert_int_equal(t.len, 0);
        for (size_t e = 0; e < nd; e++) {
            order_t o = day_orders[e];
            int64_t K_c = tenants_cohorts_of(&p, (resource_t)o.cls);
            int64_t g = (of_class[o.cls] + K_c - 1) / K_c;
            assert_true(o.count >= 1);
            sum += o.count;
            int cell = o.denom * 2 + o.funded;
            if (o.price_step == 0 && g == 1) {   /* a class of at most K orders: single orders */
                assert_int_equal(o.count, 1);
                assert_false(o.spread);
                gpu_entries += resource_is_gpu((resource_t)o.cls);
                singles += 1;
                singles_large += o.units >= tail_units[o.cls];
            } else if (o.price_step == 0) {   /* a single order of the size law's tail */
                assert_int_equal(o.count, 1);
                assert_false(o.spread);
                assert_true(o.units >= tail_units[o.cls]);
                tail[o.cls]++;
            } else {
                assert_true(g > 1);   /* cohorts only where they hold more than one order */
                cohorts[o.cls]++;
                grouped[o.cls] += o.count;
                if (o.count > 1)
                    assert_true(o.units <= tail_units[o.cls]);
                assert_int_equal(o.spread, o.count > 1);
                lo[o.cls][cell] = o.count < lo[o.cls][cell] ? o.count : lo[o.cls][cell];
                hi[o.cls][cell] = o.count > hi[o.cls][cell] ? o.count : hi[o.cls][cell];
            }
            usdc += o.denom * o.count;
            funded += o.funded * o.count;
            /* the deployments' maxima rise from the lowest to the highest kept */
            assert_true(o.log_min_price == tenants_limit(&t, &p, &o, 0));
            assert_true(o.log_max_price == tenants_limit(&t, &p, &o, o.count - 1));
            for (int32_t k = 1; k < o.count; k++)
                assert_true(tenants_limit(&t, &p, &o, k) > tenants_limit(&t, &p, &o, k - 1));
            /* ... over the whole price law, one per stratum of width 1/count: the
             * orders of a cohort want prices as varied as independent orders */
            for (int32_t k = 0; o.count > 1 && k < o.count; k++) {
                double level = gsl_cdf_ugaussian_P((tenants_limit(&t, &p, &o, k) - t.log_max_price[o.cls]) /
                                                   p.tenants.max_price_sigma);
                assert_true(level > ((double)k - 1e-3) / o.count && level < ((double)k + 1 + 1e-3) / o.count);
            }
            if (o.cls == RES_CPU) {
                cpu += o.count;
                small += o.units <= 500 ? o.count : 0;
                /* the binary search finds what counting one by one finds */
                double lowest = NAN, first = NAN;
                int32_t over = 0;
                for (int32_t k = o.count - 1; k >= 0 && tenants_limit(&t, &p, &o, k) >= cheap_below; k--) {
                    over++;
                    first = tenants_limit(&t, &p, &o, k);
                }
                assert_int_equal(tenants_willing(&t, &p, &o, o.count, cheap_below, &lowest), over);
                if (over > 0)
                    assert_true(lowest == first);
                cheap += o.count - over;
                astride += over > 0 && over < o.count;
            }
        }
        assert_int_equal(sum, n);
        assert_int_equal(t.pending, 0);
        for (int c = 0; c < RES_COUNT; c++) {
            assert_true(cohorts[c] <= tenants_cohorts_of(&p, (resource_t)c) + 3);
            gpu_cohorts += resource_is_gpu((resource_t)c) ? cohorts[c] : 0;
            gpu_entries += resource_is_gpu((resource_t)c) ? cohorts[c] : 0;
            for (int k = 0; k < 4; k++)
                assert_true(hi[c][k] == 0 || hi[c][k] - lo[c][k] <= 1);
        }
    }
    /* the tail's share of a class's deployments on the days it has cohorts:
     * binomial (the GPU classes at K = 64 have them only on their busiest days) */
    for (int c = 0; c < RES_COUNT; c++) {
        double n = (double)(tail[c] + grouped[c]), q = p.tenants.cohort_single_share;
        if (c == RES_CPU || (Kgpu > 0 && resource_is_gpu((resource_t)c)))
            assert_true(n > 1000);
        if (n > 0)
            assert_close((double)tail[c] / n, q, 0, 5 * sqrt(q * (1 - q) / n));
    }
    double N = (double)total;
    assert_close((double)usdc / N, p.market.usdc_share, 0,
                 5 * sqrt(p.market.usdc_share * (1 - p.market.usdc_share) / N));
    double keep = 1 - p.tenants.unfunded_share;
    assert_close((double)funded / N, keep, 0, 5 * sqrt(keep * (1 - keep) / N));
    /* 6,400 cohorts of CPU orders: independent sizes would give a standard error
     * of 0.006; the hypercube puts it within 1e-4 here */
    double want = gsl_cdf_ugaussian_P(log(1.1) / p.resources[RES_CPU].order_units_sigma);
    assert_close((double)small / (double)cpu, want, 0, 0.003);
    /* the maxima too: a cohort's spread one per stratum, each at its cohort's
     * offset, the offsets stratified over the day's cohorts, so that a cohort
     * astride a price fills in part (independent draws: 0.006) */
    assert_close((double)cheap / (double)cpu, gsl_cdf_ugaussian_P(-0.5), 0, 0.003);
    assert_true(astride >= days);   /* the binary search ran: about 4 cohorts a day */
    /* the GPU classes' own K groups their orders: at most 4 x (4 + 3) cohorts a day */
    if (Kgpu > 0)
        assert_true(gpu_cohorts <= days * 4 * (Kgpu + 3));
    else   /* at K = 64 nearly all single: about 180 entries a day, few cohorts */
        assert_true(gpu_entries > days * 120 && gpu_cohorts < gpu_entries / 10);
    /* the single orders of a class at g = 1 take sizes from the whole law, its tail too */
    if (Kgpu == 0)
        assert_true(singles > days * 120 && singles_large > singles / 100);
    gsl_rng_free(r);
    tenants_free(&t);
}

static void test_cohorts_keep_every_order(void **state)
{
    (void)state;
    check_cohorts_keep_every_order(64, 0, 0.05);
}

static void test_gpu_cohorts_keep_every_order(void **state)
{
    (void)state;
    check_cohorts_keep_every_order(64, 4, 0.10);   /* tenants.cohort_single_share read, not assumed */
}

/* Single orders arrive in batches (their draws first, then the orders): the
 * queue must hold exactly the orders drawn one by one from the same stream,
 * and the stream must end where one-by-one drawing leaves it. Several days,
 * so that full and partial batches both occur. */
static void test_batched_arrivals_are_the_one_by_one_orders(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.tenants.orders_per_day = 300;
    p.tenants.shock_volatility = 0.3;
    tenants_t t, u;
    assert_int_equal(tenants_alloc(&t, &p), 0);
    assert_int_equal(tenants_alloc(&u, &p), 0);
    tenants_reset(&t, &p);
    tenants_reset(&u, &p);
    gsl_rng *a = rng_stream_alloc(77, 0, 0, RNG_DEMAND), *b = rng_stream_alloc(77, 0, 0, RNG_DEMAND);
    int partial = 0;
    for (int64_t day = 1; day <= 5; day++) {
        long n = tenants_arrive(&t, &p, day, a);
        /* tenants_arrive's own count: the shock, then Poisson */
        double s = p.tenants.shock_volatility;
        double shock = exp(s * gsl_ran_gaussian_ziggurat(b, 1.0) - 0.5 * s * s);
        long m = (long)gsl_ran_poisson(b, tenants_order_rate(&u, &p, day) * shock);
        assert_int_equal(n, m);
        assert_true(n > 64);
        partial |= n % 32 != 0;
        for (long k = 0; k < n; k++) {
            order_t x, y;
            tenants_draw_order(&u, &p, b, &y);
            assert_int_equal(tenants_pop(&t, &x), 0);
            assert_int_equal(x.cls, y.cls);
            assert_int_equal(x.denom, y.denom);
            assert_int_equal(x.funded, y.funded);
            assert_int_equal(x.tries_left, y.tries_left);
            assert_int_equal(x.days, y.days);
            assert_int_equal(x.units, y.units);
            assert_int_equal(x.count, y.count);
            assert_true(x.log_max_price == y.log_max_price);
        }
        assert_int_equal(t.len, 0);
        assert_true(gsl_rng_get(a) == gsl_rng_get(b));
    }
    assert_true(partial);
    gsl_rng_free(a);
    gsl_rng_free(b);
    tenants_free(&t);
    tenants_free(&u);
}

/* market.mode cohorts is K = PARAMS_COHORTS_K unless tenants.cohorts_per_day
 * says otherwise; the GPU classes' own K applies under either; exact is off. */
static void test_market_mode_sets_k(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    assert_int_equal(p.market.mode, MARKET_EXACT);
    assert_int_equal(params_cohorts_k(&p), 0);
    assert_int_equal(tenants_cohorts_of(&p, RES_H100), 0);
    p.market.mode = MARKET_COHORTS;
    assert_int_equal(params_cohorts_k(&p), 64);
    assert_int_equal(tenants_cohorts_of(&p, RES_CPU), 64);
    p.tenants.gpu_cohorts_per_day = 16;
    assert_int_equal(tenants_cohorts_of(&p, RES_H100), 16);
    assert_int_equal(tenants_cohorts_of(&p, RES_CPU), 64);
    p.tenants.cohorts_per_day = 32;
    assert_int_equal(params_cohorts_k(&p), 32);
    assert_int_equal(tenants_cohorts_of(&p, RES_CPU), 32);
    p.market.mode = MARKET_EXACT;   /* an explicit K turns cohorts on by itself */
    assert_int_equal(params_cohorts_k(&p), 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tabulated_lognormal_follows_its_law),
        cmocka_unit_test(test_cohorts_keep_every_order),
        cmocka_unit_test(test_gpu_cohorts_keep_every_order),
        cmocka_unit_test(test_batched_arrivals_are_the_one_by_one_orders),
        cmocka_unit_test(test_market_mode_sets_k),
    };
    return cmocka_run_group_tests_name("tenants", tests, NULL, NULL);
}
