/* The provider incentive programme: it pays its budget, only on its days, only
 * to eligible classes, never more than the pool holds, and the ledger identities hold. */
#include "test_util.h"
#include "test_world_util.h"

#include "metrics.h"

static void programme(params_t *p)
{
    params_defaults(p);
    p->days = 150;
    p->price.volatility_per_year = 0.0;     /* a constant $5: the AKT paid is budget / 5 */
    p->pool.incentive_start_day = 20;
    p->pool.incentive_days = 100;
    p->pool.incentive_usd_total = 1000000;
}

static void test_pays_its_budget_on_its_days(void **state)
{
    (void)state;
    params_t p;
    programme(&p);
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    double paid_usd = 0;
    int64_t paid_uakt = 0;
    for (int day = 1; day <= p.days; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        int on = day >= 20 && day < 120;
        assert_true(on ? w->pool.incentive_paid > 0 : w->pool.incentive_paid == 0);
        paid_usd += w->pool.incentive_paid_usd;
        paid_uakt += w->pool.incentive_paid;
        for (int d = 0; d < DENOM_COUNT; d++)
            assert_true(ledger_sum(&w->ledger[d]) == w->ledger[d].supply);
    }
    /* $10,000 a day = 2,000 AKT at $5; each provider's share is truncated to a uakt */
    assert_close(paid_usd, 1000000.0, 0, 100 * 200 * 5e-6);
    assert_close((double)paid_uakt, 200000e6, 0, 100 * 200);
    world_destroy(w);
}

static void test_no_eligible_class_no_payment(void **state)
{
    (void)state;
    params_t p;
    programme(&p);
    for (int c = 0; c < RES_COUNT; c++)
        p.resources[c].incentive_eligible = false;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    for (int day = 1; day <= 60; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        assert_int_equal(w->pool.incentive_paid, 0);
    }
    world_destroy(w);
}

static void test_pays_no_more_than_the_pool_holds(void **state)
{
    (void)state;
    params_t p;
    programme(&p);
    p.supply.community_pool_uakt = 0;
    p.distribution.community_tax = 0.0;      /* the pool gets only take fees */
    p.pool.incentive_usd_total = 1e12;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    for (int day = 1; day <= 60; day++) {
        int64_t before = w->ledger[DENOM_AKT].balance[ACCT_COMMUNITY_POOL];
        assert_int_equal(world_step(w, &err), SIM_OK);
        assert_true(w->pool.incentive_paid <= before + w->market.today.escrow.fees[DENOM_AKT]);
        assert_true(w->ledger[DENOM_AKT].balance[ACCT_COMMUNITY_POOL] >= 0);
    }
    world_destroy(w);
}

static void test_governance_burn_and_vault_funding(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 30;
    p.pool.burn_day = 10;
    p.pool.burn_uakt = 1000000000000;          /* 1 M AKT */
    p.pool.vault_funding_day = 12;
    p.pool.vault_funding_uakt = 250000000000;  /* 250,000 AKT */
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    for (int day = 1; day <= p.days; day++) {
        int64_t before = w->ledger[DENOM_AKT].supply;
        assert_int_equal(world_step(w, &err), SIM_OK);
        const ledger_t *l = &w->ledger[DENOM_AKT];
        assert_true(l->burned == (day == 10 ? 1000000000000 : 0));
        assert_true(l->supply == before + l->minted - l->burned);
        if (day == 12)
            assert_int_equal(w->pool.to_vault, 250000000000);
    }
    assert_int_equal(w->ledger[DENOM_AKT].balance[ACCT_VAULT], 250000000000);
    world_destroy(w);
}

static void test_supply_cap(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.days = 60;
    p.supply.max_uakt = p.supply.total_uakt + 1000000000000;   /* room for 1 M AKT: ~11 days */
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    for (int day = 1; day <= p.days; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        assert_true(w->ledger[DENOM_AKT].supply <= p.supply.max_uakt);
    }
    assert_true(w->ledger[DENOM_AKT].supply == p.supply.max_uakt);
    assert_int_equal(w->ledger[DENOM_AKT].minted, 0);
    world_destroy(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pays_its_budget_on_its_days),
        cmocka_unit_test(test_no_eligible_class_no_payment),
        cmocka_unit_test(test_pays_no_more_than_the_pool_holds),
        cmocka_unit_test(test_governance_burn_and_vault_funding),
        cmocka_unit_test(test_supply_cap),
    };
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
