/* One run's daily step: the supply identities every day (the distribution
 * split by hand: tests/test_distribution.c), the 21-day unbonding queue, and
 * the fixed staking model. */
#include "test_util.h"
#include "test_world_util.h"

#include <stdlib.h>

#include "metrics.h"
#include "world.h"

static void test_day_zero_state(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    world_t *w = make_world(&p);
    double v[METRIC_COUNT];
    metrics_record(w, v);
    assert_close(v[M_SUPPLY_TOTAL], 230816799.0, 0, 0);
    assert_close(v[M_BONDED_RATIO], 0.578, 1e-12, 0);
    assert_close(v[M_COMMUNITY_POOL], 10000000.0, 0, 0);
    assert_close(v[M_MINTED], 0.0, 0, 0);
    /* APR = 0.15 * 0.6 * 0.95 / 0.578 */
    assert_close(v[M_STAKING_APR], 0.15 * 0.6 * 0.95 / 0.578, 1e-12, 0);
    world_destroy(w);
}

static void test_identities_hold_every_day(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.staking.yield_volatility = 1.0;   /* large swings: bonding and unbonding both happen */
    p.days = 3650;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    int64_t prev = w->ledger[DENOM_AKT].supply;
    int bonded_days = 0, unbonded_days = 0;
    for (int day = 1; day <= 3650; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        const ledger_t *l = &w->ledger[DENOM_AKT];
        assert_true(ledger_sum(l) == l->supply);
        assert_true(l->supply == prev + l->minted - l->burned);
        assert_int_equal(l->balance[ACCT_FEE_COLLECTOR], 0);
        /* the split accounts for the whole mint */
        assert_true(w->distribution.community_pool + w->distribution.commission +
                    w->distribution.delegators == l->minted);
        for (int a = 0; a < ACCT_COUNT; a++)
            assert_true(l->balance[a] >= 0);
        bonded_days += w->staking_flows.bonded > 0;
        unbonded_days += w->staking_flows.unbonded > 0;
        prev = l->supply;
    }
    assert_true(bonded_days > 100 && unbonded_days > 100);
    world_destroy(w);
}

static void test_unbonding_matures_after_21_days(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.staking.required_yield = 5.0;     /* APR far below what holders require: they unbond daily */
    p.staking.yield_volatility = 0.0;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    int64_t unbonded[200] = {0};
    for (int day = 1; day < 200; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        unbonded[day] = w->staking_flows.unbonded;
        assert_true(unbonded[day] > 0);
        int64_t want = day > 21 ? unbonded[day - 21] : 0;
        assert_true(w->staking_flows.matured == want);
        /* the queue holds exactly the last 21 days of unbonding */
        int64_t queued = 0;
        for (int k = day > 20 ? day - 20 : 1; k <= day; k++)
            queued += unbonded[k];
        assert_true(w->ledger[DENOM_AKT].balance[ACCT_UNBONDING] == queued);
    }
    world_destroy(w);
}

static void test_fixed_staking_holds_the_ratio(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.staking.model = STAKING_FIXED;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    double v[METRIC_COUNT];
    for (int day = 1; day <= 730; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        metrics_record(w, v);
        /* bonded is round(0.578 x supply), so the ratio is off by < 1 uakt / supply */
        assert_close(v[M_BONDED_RATIO], 0.578, 0, 1e-14);
    }
    world_destroy(w);
}

/* The providers' class totals, kept as leases open and close and providers
 * enter and leave, equal the sums over the active providers every day. */
static void test_class_totals_are_kept(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 400;
    p.providers.entry_per_day = 1.0;     /* many entrants ... */
    p.providers.exit_loss_days = 5;      /* ... and costs that push some out quickly */
    for (int c = 0; c < RES_COUNT; c++)
        p.resources[c].cost_usd_per_unit_day *= 4.0;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    int64_t entered = 0, exited = 0;
    for (int day = 1; day <= 400; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        const providers_t *pv = &w->market.pv;
        int64_t cap[RES_COUNT], used[RES_COUNT], kc[RES_COUNT], ku[RES_COUNT];
        for (int c = 0; c < RES_COUNT; c++)
            cap[c] = used[c] = 0;
        for (size_t i = 0; i < pv->count; i++)
            for (int c = 0; c < RES_COUNT && pv->active[i]; c++) {
                cap[c] += pv->capacity[c][i];
                used[c] += pv->used[c][i];
            }
        providers_class_totals(pv, kc, ku);
        for (int c = 0; c < RES_COUNT; c++) {
            assert_true(kc[c] == cap[c]);
            assert_true(ku[c] == used[c]);
        }
        entered += w->market.today.providers_entered;
        exited += w->market.today.providers_exited;
    }
    assert_true(entered > 100 && exited > 10);
    world_destroy(w);
}

static void test_reset_repeats_a_run_exactly(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    double first[METRIC_COUNT], again[METRIC_COUNT], other[METRIC_COUNT];
    world_reset(w, 0, 5, &err);
    for (int d = 0; d < 100; d++) world_step(w, &err);
    metrics_record(w, first);
    world_reset(w, 0, 6, &err);
    for (int d = 0; d < 100; d++) world_step(w, &err);
    metrics_record(w, other);
    world_reset(w, 0, 5, &err);
    for (int d = 0; d < 100; d++) world_step(w, &err);
    metrics_record(w, again);
    assert_memory_equal(first, again, sizeof first);
    assert_true(first[M_REQUIRED_YIELD] != other[M_REQUIRED_YIELD]);
    world_destroy(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_zero_state),
        cmocka_unit_test(test_identities_hold_every_day),
        cmocka_unit_test(test_unbonding_matures_after_21_days),
        cmocka_unit_test(test_fixed_staking_holds_the_ratio),
        cmocka_unit_test(test_class_totals_are_kept),
        cmocka_unit_test(test_reset_repeats_a_run_exactly),
    };
    return cmocka_run_group_tests_name("world", tests, NULL, NULL);
}
