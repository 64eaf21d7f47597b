/* The price process: the deterministic drift, the flow impact of the coupled
 * mode by hand, its bound, and the exogenous mode ignoring flows; the series
 * mode's geometric interpolation, its bridge through every observed price, the
 * process after the last point, and the same draws a day in every mode. */
#include "test_util.h"

#include <math.h>

#include "price.h"
#include "rng.h"

static void quiet_price(params_t *p)
{
    params_defaults(p);
    p->price.volatility_per_year = 0.0;
    p->price.jumps_per_year = 0.0;
    p->price.initial_usd = 5.0;
}

static void test_drift_without_volatility(void **state)
{
    (void)state;
    params_t p;
    quiet_price(&p);
    p.price.drift_per_year = 0.2385;
    gsl_rng *r = rng_stream_alloc(1, 0, 0, RNG_PRICE);
    price_t pr;
    price_reset(&pr, &p);
    for (int d = 0; d < 365; d++)
        price_step(&pr, &p, -1e6, r);   /* flows are ignored in the exogenous mode */
    assert_close(pr.usd, 5.0 * exp(0.2385), 1e-12, 0);
    gsl_rng_free(r);
}

static void test_coupled_impact_by_hand(void **state)
{
    (void)state;
    params_t p;
    quiet_price(&p);
    p.price.mode = PRICE_COUPLED;
    p.price.liquidity_depth_usd = 5e6;
    gsl_rng *r = rng_stream_alloc(1, 0, 0, RNG_PRICE);
    price_t pr;
    price_reset(&pr, &p);
    /* a net sale of 10,000 AKT at $5 = $50,000 on a $5 M book: log price -0.01 */
    price_step(&pr, &p, -10000.0, r);
    assert_close(pr.usd, 5.0 * exp(-0.01), 1e-12, 0);
    /* a huge purchase is bounded by max_daily_impact (0.5) */
    double before = pr.usd;
    price_step(&pr, &p, 1e12, r);
    assert_close(pr.usd, before * exp(0.5), 1e-12, 0);
    gsl_rng_free(r);
}

static void test_jumps_move_the_price(void **state)
{
    (void)state;
    params_t p;
    quiet_price(&p);
    p.price.jumps_per_year = 36.5;     /* one every 10 days on average */
    p.price.jump_mean = -0.1;
    p.price.jump_sd = 0.0;
    gsl_rng *r = rng_stream_alloc(7, 0, 0, RNG_PRICE);
    price_t pr;
    price_reset(&pr, &p);
    for (int d = 0; d < 3650; d++)
        price_step(&pr, &p, 0, r);
    /* the log price is -0.1 x (number of jumps): Poisson(365) jumps, 5 sd = 96 */
    double jumps = -log(pr.usd / 5.0) / 0.1;
    assert_close(jumps, 365.0, 0, 5.0 * sqrt(365.0));
    assert_close(jumps, round(jumps), 0, 1e-6);
    gsl_rng_free(r);
}

/* A series of n points (date, usd) starting on `start`, in the series mode. */
static void series_price(params_t *p, const char *start, size_t n, const char *const dates[], const double usd[])
{
    quiet_price(p);
    p->price.mode = PRICE_SERIES;
    snprintf(p->start_date, sizeof p->start_date, "%s", start);
    p->price.series.npoints = (int64_t)n;
    for (size_t k = 0; k < n; k++) {
        p->price.series.day[k] = params_date_to_days(dates[k]);
        p->price.series.usd[k] = usd[k];
    }
}

static void test_series_interpolates_geometrically(void **state)
{
    (void)state;
    static const char *const dates[] = {"2024-03-20", "2024-03-30", "2024-04-09"};
    static const double usd[] = {4.0, 1.0, 1.0};
    params_t p;
    series_price(&p, "2024-03-20", 3, dates, usd);
    gsl_rng *r = rng_stream_alloc(1, 0, 0, RNG_PRICE);
    price_t pr;
    price_reset(&pr, &p);
    assert_true(pr.usd == 4.0);
    /* halfway in time between $4 and $1: the geometric mean, $2 */
    for (int d = 0; d < 5; d++)
        price_step(&pr, &p, 1e9, r);    /* flows never move it */
    assert_close(pr.usd, 2.0, 1e-12, 0);
    /* seven tenths of the way: 4 (1/4)^0.7 */
    price_step(&pr, &p, 0, r);
    price_step(&pr, &p, 0, r);
    assert_close(pr.usd, 4.0 * pow(0.25, 0.7), 1e-12, 0);
    for (int d = 7; d < 10; d++)
        price_step(&pr, &p, 0, r);
    assert_true(pr.usd == 1.0);
    price_step(&pr, &p, 0, r);
    assert_true(pr.usd == 1.0);         /* a flat segment stays flat */

    /* day 0 between points is the interpolated price; after the last point, the last price */
    series_price(&p, "2024-03-25", 3, dates, usd);
    price_reset(&pr, &p);
    assert_close(pr.usd, 2.0, 1e-12, 0);
    series_price(&p, "2025-01-01", 3, dates, usd);
    price_reset(&pr, &p);
    assert_true(pr.usd == 1.0);
    gsl_rng_free(r);
}

/* With volatility every run passes through each observed price on its date,
 * and runs differ between points: at the middle of a segment of L days the
 * bridge's log deviation has variance sigma^2 (L/2)(L/2)/L / 365. */
static void test_series_bridge_hits_every_point(void **state)
{
    (void)state;
    static const char *const dates[] = {"2024-03-20", "2024-05-09", "2024-06-08", "2024-06-09", "2024-12-31"};
    static const double usd[] = {5.0, 3.25, 4.0, 3.9, 1.5};
    params_t p;
    series_price(&p, "2024-03-20", 5, dates, usd);
    p.price.volatility_per_year = 0.9;
    p.price.jumps_per_year = 12.0;      /* drawn, not used between points */
    const int runs = 2000;
    const long d0 = params_date_to_days("2024-03-20");
    const long mid = params_date_to_days("2024-04-14");    /* 25 days into the 50-day first segment */
    double sum = 0, sum2 = 0, first = 0;
    int differ = 0;
    for (int run = 0; run < runs; run++) {
        gsl_rng *r = rng_stream_alloc(20240320, 0, (uint64_t)run, RNG_PRICE);
        price_t pr;
        price_reset(&pr, &p);
        assert_true(pr.usd == 5.0);
        size_t k = 1;
        for (long day = d0 + 1; day <= params_date_to_days("2024-12-31"); day++) {
            price_step(&pr, &p, 0, r);
            if (k < 5 && day == params_date_to_days(dates[k])) {
                assert_close(pr.usd, usd[k], 1e-12, 0);
                k++;
            }
            if (day == mid) {
                /* the deviation from the geometric interpolation halfway, sqrt(5 x 3.25) */
                double b = log(pr.usd / sqrt(5.0 * 3.25));
                sum += b;
                sum2 += b * b;
                if (run == 0)
                    first = pr.usd;
                else if (pr.usd != first)
                    differ++;
            }
        }
        assert_int_equal(k, 5);
        gsl_rng_free(r);
    }
    assert_int_equal(differ, runs - 1);
    double var = (sum2 - sum * sum / runs) / (runs - 1);
    double want = 0.81 * 25.0 * 25.0 / 50.0 / 365.0;     /* 0.0277: a log sd of 0.17 */
    assert_close(var, want, 0.15, 0);                   /* the sample variance's sd is 3 % */
    assert_close(sum / runs, 0.0, 0, 4.0 * sqrt(want / runs));
}

/* After the last point the exogenous process continues from the last price. */
static void test_series_then_exogenous(void **state)
{
    (void)state;
    static const char *const dates[] = {"2024-03-20", "2024-04-19"};
    static const double usd[] = {5.0, 2.0};
    params_t p;
    series_price(&p, "2024-03-20", 2, dates, usd);
    p.price.drift_per_year = 0.73;
    gsl_rng *r = rng_stream_alloc(3, 0, 0, RNG_PRICE);
    price_t pr;
    price_reset(&pr, &p);
    for (int d = 0; d < 30; d++)
        price_step(&pr, &p, 0, r);
    assert_true(pr.usd == 2.0);
    for (int d = 0; d < 100; d++)
        price_step(&pr, &p, 0, r);
    assert_close(pr.usd, 2.0 * exp(0.73 * 100.0 / 365.0), 1e-12, 0);

    /* with volatility the path after the last point is the exogenous mode's from
     * the last price, shock for shock */
    p.price.volatility_per_year = 0.9;
    p.price.jumps_per_year = 20;
    params_t q = p;
    q.price.mode = PRICE_EXOGENOUS;
    q.price.initial_usd = 2.0;
    gsl_rng *rs = rng_stream_alloc(9, 0, 0, RNG_PRICE), *rq = rng_stream_alloc(9, 0, 0, RNG_PRICE);
    price_t ps, pq;
    price_reset(&ps, &p);
    for (int d = 0; d < 30; d++)
        price_step(&ps, &p, 0, rs);
    assert_true(ps.usd == 2.0);
    price_reset(&pq, &q);
    for (int d = 0; d < 30; d++)    /* the same draws over the series' days */
        price_step(&pq, &q, 0, rq);
    pq.usd = 2.0;
    for (int d = 0; d < 200; d++) {
        price_step(&ps, &p, 0, rs);
        price_step(&pq, &q, 0, rq);
        assert_true(ps.usd == pq.usd);
    }
    gsl_rng_free(r);
    gsl_rng_free(rs);
    gsl_rng_free(rq);
}

/* Common random numbers: the price stream gives the same numbers each day in
 * every mode, so a paired comparison of modes (or of scenarios) sees the same
 * shocks, and the streams after the price step are where they would be. */
static void test_same_draws_in_every_mode(void **state)
{
    (void)state;
    static const char *const dates[] = {"2024-03-20", "2024-04-01", "2024-09-30"};
    static const double usd[] = {5.0, 4.0, 2.5};
    for (int jumps = 0; jumps < 2; jumps++) {
        params_t p[3];
        series_price(&p[2], "2024-03-20", 3, dates, usd);
        for (int m = 0; m < 3; m++) {
            if (m < 2)
                p[m] = p[2];
            p[m].price.mode = m;        /* exogenous, coupled, series */
            p[m].price.volatility_per_year = 0.9;
            p[m].price.jumps_per_year = jumps ? 30.0 : 0.0;
        }
        gsl_rng *r[3];
        price_t pr[3];
        for (int m = 0; m < 3; m++) {
            r[m] = rng_stream_alloc(11, 0, 0, RNG_PRICE);
            price_reset(&pr[m], &p[m]);
        }
        for (int d = 0; d < 365; d++) {     /* between points, then after the last */
            for (int m = 0; m < 3; m++)
                price_step(&pr[m], &p[m], -2e5, r[m]);
            assert_int_equal(rng_draws(r[1]), rng_draws(r[0]));
            assert_int_equal(rng_draws(r[2]), rng_draws(r[0]));
        }
        assert_true(rng_draws(r[0]) >= 365);
        double u = gsl_rng_uniform(r[0]);
        assert_true(gsl_rng_uniform(r[1]) == u);
        assert_true(gsl_rng_uniform(r[2]) == u);
        for (int m = 0; m < 3; m++)
            gsl_rng_free(r[m]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drift_without_volatility),
        cmocka_unit_test(test_coupled_impact_by_hand),
        cmocka_unit_test(test_jumps_move_the_price),
        cmocka_unit_test(test_series_interpolates_geometrically),
        cmocka_unit_test(test_series_bridge_hits_every_point),
        cmocka_unit_test(test_series_then_exogenous),
        cmocka_unit_test(test_same_draws_in_every_mode),
    };
    return cmocka_run_group_tests_name("price", tests, NULL, NULL);
}
