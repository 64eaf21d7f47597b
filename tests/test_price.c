/* The price process: the deterministic drift, the flow impact of the coupled
 * mode by hand, its bound, and the exogenous mode ignoring flows. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drift_without_volatility),
        cmocka_unit_test(test_coupled_impact_by_hand),
        cmocka_unit_test(test_jumps_move_the_price),
    };
    return cmocka_run_group_tests_name("price", tests, NULL, NULL);
}
