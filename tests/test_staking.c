/* Staking: the APR of what was paid, holder groups with spread required yields
 * (hand-computed moves, bonding and unbonding on the same day, exact parts that
 * add up to the ledger), and no rewards when supply.max_akt stops the mint. */
#include "test_util.h"
#include "test_world_util.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "metrics.h"
#include "rng.h"
#include "staking.h"

/* A ledger with `holders` liquid and `bonded` bonded uakt. */
static ledger_t ledger_of(int64_t holders, int64_t bonded)
{
    ledger_t l = {0};
    ledger_mint(&l, ACCT_HOLDERS, holders);
    ledger_mint(&l, ACCT_BONDED, bonded);
    ledger_day_begin(&l);
    return l;
}

static void test_day_zero_parts(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.staking.holder_groups = 4;
    staking_t s;
    assert_int_equal(staking_alloc(&s, &p), 0);
    /* 1,000,003 uakt of wealth, 600,000 bonded: groups of 250,001/250,001/250,001/250,000
     * (the unit left over goes to the first), bonded by the least demanding first */
    ledger_t l = ledger_of(400003, 600000);
    staking_reset(&s, &p, &l);
    assert_int_equal(s.bonded[0], 250001);
    assert_int_equal(s.bonded[1], 250001);
    assert_int_equal(s.bonded[2], 99998);
    assert_int_equal(s.bonded[3], 0);
    assert_int_equal(s.liquid[0], 0);
    assert_int_equal(s.liquid[2], 250001 - 99998);
    assert_int_equal(s.liquid[3], 250000);
    assert_int_equal(staking_check(&s, &p, &l), 0);
    /* the yields' quantiles: Phi^-1(1/8), Phi^-1(3/8), ... */
    assert_close(s.z[0], gsl_cdf_ugaussian_Pinv(0.125), 1e-15, 0);
    assert_close(s.z[3], -s.z[0], 1e-15, 0);
    staking_free(&s);
}

static void test_two_groups_hand_values(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.staking.holder_groups = 2;
    p.staking.yield_dispersion = 1.0;
    p.staking.required_yield = 0.1;
    p.staking.yield_volatility = 0.0;       /* x_t stays 0 */
    p.staking.response_per_year = 36.5;     /* 10 % of the gap a day */
    p.staking.unbonding_days = 21;
    staking_t s;
    assert_int_equal(staking_alloc(&s, &p), 0);
    /* wealth 2e12 uakt, 1e12 each; 1.2e12 bonded: group 0 (the less demanding) all of
     * its 1e12, group 1 0.2e12 bonded and 0.8e12 liquid */
    ledger_t l = ledger_of(800000000000, 1200000000000);
    staking_reset(&s, &p, &l);
    assert_int_equal(s.bonded[1], 200000000000);
    /* today's rewards: 328,767,123 uakt to delegators, none restaked, none liquid yet
     * in the ledger (paid below by hand): APR = 328,767,123 x 365 / 1.2e12 = 0.1 */
    distribution_flows_t paid = {.delegators = 328767123, .restaked = 0};
    ledger_mint(&l, ACCT_HOLDERS, paid.delegators);
    gsl_rng *rng = gsl_rng_alloc(rng_xoshiro256ss);
    rng_stream_seed(rng, 1, 0, 0, RNG_STAKING);
    staking_flows_t f;
    assert_int_equal(staking_step(&p, &s, &l, 1, &paid, rng, &f), 0);
    double apr = 328767123.0 * 365 / 1.2e12;
    assert_close(s.apr, apr, 1e-15, 0);
    /* group 0 requires 0.1 e^-0.6745 = 0.0509: gap 0.96 -> bonds 9.6 % of its liquid,
     * its share of the liquid rewards: trunc(328,767,123 x 1e12 / 1.2e12) = 273,972,602,
     * plus the unit left over from the two truncations (it goes to the heavier group) */
    double y0 = 0.1 * exp(gsl_cdf_ugaussian_Pinv(0.25)), y1 = 0.1 * exp(-gsl_cdf_ugaussian_Pinv(0.25));
    int64_t liquid0 = 273972603;
    double gap0 = apr / y0 - 1 > 1 ? 1 : apr / y0 - 1;
    int64_t bond0 = (int64_t)(gap0 * 0.1 * (double)liquid0);
    /* group 1 requires 0.196: gap -0.49 -> unbonds 4.9 % of its 0.2e12 */
    double gap1 = apr / y1 - 1;
    int64_t unbond1 = (int64_t)(-gap1 * 0.1 * 200000000000.0);
    assert_int_equal(f.bonded, bond0);
    assert_int_equal(f.unbonded, unbond1);
    assert_true(f.bonded > 0 && f.unbonded > 0);   /* both on the same day */
    assert_int_equal(s.bonded[0], 1000000000000 + bond0);
    assert_int_equal(s.bonded[1], 200000000000 - unbond1);
    assert_int_equal(s.unbonding[1], unbond1);
    assert_int_equal(l.balance[ACCT_UNBONDING], unbond1);
    assert_int_equal(staking_check(&s, &p, &l), 0);
    gsl_rng_free(rng);
    staking_free(&s);
}

static void test_a_leak_from_the_bonded_pool_stops_the_step(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.staking.holder_groups = 4;
    staking_t s;
    assert_int_equal(staking_alloc(&s, &p), 0);
    ledger_t l = ledger_of(400000000, 600000000);
    staking_reset(&s, &p, &l);
    /* 1,000 uakt leave the bonded pool by a path that is not restaking */
    ledger_transfer(&l, ACCT_BONDED, ACCT_VALIDATORS, 1000);
    distribution_flows_t paid = {0};
    gsl_rng *rng = gsl_rng_alloc(rng_xoshiro256ss);
    rng_stream_seed(rng, 1, 0, 0, RNG_STAKING);
    staking_flows_t f;
    assert_int_equal(staking_step(&p, &s, &l, 1, &paid, rng, &f), -1);
    gsl_rng_free(rng);
    staking_free(&s);
}

static void test_groups_follow_the_ledger_for_ten_years(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 3650;
    p.staking.holder_groups = 8;
    p.staking.yield_dispersion = 1.0;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    int both = 0;
    for (int day = 1; day <= p.days; day++) {
        /* world_step checks the parts against the ledger after staking */
        assert_int_equal(world_step(w, &err), SIM_OK);
        both += w->staking_flows.bonded > 0 && w->staking_flows.unbonded > 0;
        int64_t queued = 0;
        for (int g = 0; g < 8; g++)
            queued += w->staking.unbonding[g];
        assert_true(queued == w->ledger[DENOM_AKT].balance[ACCT_UNBONDING]);
    }
    assert_true(both > 1000);
    world_destroy(w);
}

static void test_one_group_is_the_aggregate_holder(void **state)
{
    (void)state;
    /* one group, no dispersion: bond a share of all liquid tokens or unbond a share of
     * all bonded ones, never both */
    params_t p;
    params_defaults(&p);
    p.days = 400;
    p.staking.yield_volatility = 1.0;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    for (int day = 1; day <= p.days; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        assert_false(w->staking_flows.bonded > 0 && w->staking_flows.unbonded > 0);
    }
    world_destroy(w);
}

static void test_apr_is_what_was_paid(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 60;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    for (int day = 1; day <= p.days; day++) {
        int64_t supply = w->ledger[DENOM_AKT].supply, bonded = w->ledger[DENOM_AKT].balance[ACCT_BONDED];
        assert_int_equal(world_step(w, &err), SIM_OK);
        /* the chain's I (1 - tax)(1 - commission) / r, with the day's mean rate and the
         * stake before today's staking moves: equal within truncation and the day's drift */
        double rate = (double)w->ledger[DENOM_AKT].minted * 365.0 / (double)supply;
        double want = rate * 0.6 * 0.95 / ((double)bonded / (double)supply);
        assert_close(w->staking.apr, want, 1e-6, 0);
    }
    world_destroy(w);
}

static void test_no_apr_when_the_cap_stops_the_mint(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 60;
    p.supply.max_uakt = p.supply.total_uakt + 100000000000;   /* room for 100,000 AKT: one day's mint */
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    double v[METRIC_COUNT];
    for (int day = 1; day <= p.days; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        metrics_record(w, v);
        if (day >= 3) {
            assert_int_equal(w->ledger[DENOM_AKT].minted, 0);
            assert_true(v[M_STAKING_APR] == 0.0);
            assert_true(v[M_INFLATION_REALISED] == 0.0);
            assert_int_equal(w->staking_flows.bonded, 0);      /* nobody bonds for nothing */
            assert_true(w->staking_flows.unbonded > 0);
        }
    }
    assert_true(w->ledger[DENOM_AKT].supply == p.supply.max_uakt);
    world_destroy(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_zero_parts),
        cmocka_unit_test(test_two_groups_hand_values),
        cmocka_unit_test(test_a_leak_from_the_bonded_pool_stops_the_step),
        cmocka_unit_test(test_groups_follow_the_ledger_for_ten_years),
        cmocka_unit_test(test_one_group_is_the_aggregate_holder),
        cmocka_unit_test(test_apr_is_what_was_paid),
        cmocka_unit_test(test_no_apr_when_the_cap_stops_the_mint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
