/* Burn-mint equilibrium: the AEP-76 worked examples, exact ledgers with BME
 * on, and the sign of the supply change for a rising and a falling price. */
#include "test_util.h"
#include "test_world_util.h"

#include <string.h>

#include "bme.h"
#include "metrics.h"

/* AEP-76 (docs/model.md §12): $1,000 of ACT at $1.14 takes 877.192982 AKT; redeemed
 * at $1.50 it pays 666.666667 AKT (net -210.526316), at $0.90 1,111.111111 (net +233.918129).
 * The chain truncates every amount to a uakt; tokensim mints at least the ACT asked
 * for, so each figure may differ from the AEP's six decimals by a uakt. */
static void aep76_example(double settle_price, double want_out_akt, double want_net_akt)
{
    params_t p;
    params_defaults(&p);
    p.bme.mint_spread_bps = 0;      /* the AEP's examples leave the spread out */
    p.bme.true_burn = true;
    ledger_t led[DENOM_COUNT];
    memset(led, 0, sizeof led);
    ledger_mint(&led[DENOM_AKT], ACCT_HOLDERS, 10000000000);
    bme_t b;
    bme_reset(&b, &p);
    bme_flows_t f = {0};
    int64_t supply0 = led[DENOM_AKT].supply;
    assert_int_equal(bme_fund(&b, &p, led, 1000000000, 1, 1.14, &f), 0);
    assert_close((double)f.akt_in / 1e6, 877.192982, 0, 2e-6);
    assert_true(led[DENOM_ACT].balance[ACCT_HOLDERS] >= 1000000000);
    /* the provider is paid the $1,000 and redeems it */
    assert_int_equal(ledger_transfer(&led[DENOM_ACT], ACCT_HOLDERS, ACCT_PROVIDERS, 1000000000), 0);
    assert_int_equal(bme_redeem(&b, &p, led, 1000000000, settle_price, &f), 0);
    assert_close((double)f.akt_out / 1e6, want_out_akt, 0, 2e-6);
    double net = (double)(led[DENOM_AKT].supply - supply0) / 1e6;
    assert_close(net, want_net_akt, 0, 3e-6);
    for (int d = 0; d < DENOM_COUNT; d++)
        assert_true(ledger_sum(&led[d]) == led[d].supply);
}

static void test_aep76_rising_price(void **state)
{
    (void)state;
    aep76_example(1.50, 666.666667, -210.526316);
}

static void test_aep76_falling_price(void **state)
{
    (void)state;
    aep76_example(0.90, 1111.111111, 233.918129);
}

static void test_spread_stays_in_the_vault(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);        /* 25 bps, vault mode */
    ledger_t led[DENOM_COUNT];
    memset(led, 0, sizeof led);
    ledger_mint(&led[DENOM_AKT], ACCT_HOLDERS, 10000000000);
    bme_t b;
    bme_reset(&b, &p);
    bme_flows_t f = {0};
    assert_int_equal(bme_fund(&b, &p, led, 1000000000, 1, 2.0, &f), 0);
    /* minted - trunc(minted x 0.0025) >= 1,000,000,000 uact */
    assert_true(f.act_minted - f.act_spread >= 1000000000);
    assert_int_equal(f.act_spread, (int64_t)((double)f.act_minted * 0.0025));
    assert_int_equal(led[DENOM_ACT].balance[ACCT_VAULT], f.act_spread);
    /* vault mode: the AKT is held, not burned; it is the remint credit */
    assert_int_equal(led[DENOM_AKT].balance[ACCT_VAULT], f.akt_in);
    assert_int_equal(b.remint_credits, f.akt_in);
    assert_int_equal(led[DENOM_AKT].supply, 10000000000);
    /* the circuit breaker halts new deployments, not running leases */
    b.status = BME_HALT;
    assert_int_equal(bme_fund(&b, &p, led, 3000000000, 1, 2.0, &f), 1);
    assert_int_equal(bme_fund(&b, &p, led, 3000000000, 0, 2.0, &f), 0);
}

/* A BME market from day 0 with a deterministic price trend. */
static void bme_world(params_t *p, double drift)
{
    params_defaults(p);
    p->days = 300;
    p->market.payment = PAYMENT_BME;
    p->bme.true_burn = true;
    p->price.volatility_per_year = 0.0;
    p->price.drift_per_year = drift;
}

static void test_exact_ledgers_with_bme(void **state)
{
    (void)state;
    params_t p;
    bme_world(&p, 0.0);
    p.price.volatility_per_year = 0.9;
    p.bme.true_burn = false;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    int64_t prev = w->ledger[DENOM_AKT].supply;
    for (int day = 1; day <= p.days; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        const escrow_flows_t *f = &w->market.today.escrow;
        for (int d = 0; d < DENOM_COUNT; d++) {
            assert_true(ledger_sum(&w->ledger[d]) == w->ledger[d].supply);
            assert_true(f->paid[d] == f->revenue[d] + f->fees[d]);
        }
        const ledger_t *a = &w->ledger[DENOM_AKT];
        assert_true(a->supply == prev + a->minted - a->burned);
        prev = a->supply;
        /* ACT supply = escrow + tenants' spare + vault spreads; providers hold none overnight */
        assert_int_equal(w->ledger[DENOM_ACT].balance[ACCT_PROVIDERS], 0);
        assert_int_equal(w->market.today.escrow.fees[DENOM_ACT], 0);
    }
    assert_true(w->ledger[DENOM_ACT].supply > 0);
    world_destroy(w);
}

/* AKT that BME added over the run (> 0: inflationary), counting the ACT still
 * outstanding at the end as if redeemed at the final price: burned on mint minus
 * reminted for providers, plus outstanding / P_end. No spread, so only the price
 * path matters: per dollar of usage, 1/P_mint - 1/P_settle. */
static double bme_supply_effect(double drift)
{
    params_t p;
    bme_world(&p, drift);
    p.bme.mint_spread_bps = 0;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    /* the warm start already turned AKT into ACT: true_burn took it out of the supply */
    double burned = (double)(p.supply.total_uakt - w->ledger[DENOM_AKT].supply), reminted = 0;
    for (int day = 1; day <= p.days; day++) {
        assert_int_equal(world_step(w, &err), SIM_OK);
        burned += (double)w->market.today.bme.akt_in;
        reminted += (double)w->market.today.bme.akt_reminted;
    }
    double outstanding = (double)w->ledger[DENOM_ACT].supply / w->price.usd;
    world_destroy(w);
    return (reminted + outstanding - burned) / 1e6;
}

static void test_rising_price_deflationary_falling_inflationary(void **state)
{
    (void)state;
    double rising = bme_supply_effect(1.0), falling = bme_supply_effect(-1.0);
    print_message("BME net AKT over 300 days: price rising %+.0f AKT, falling %+.0f AKT\n", rising, falling);
    assert_true(rising < 0);
    assert_true(falling > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aep76_rising_price),
        cmocka_unit_test(test_aep76_falling_price),
        cmocka_unit_test(test_spread_stays_in_the_vault),
        cmocka_unit_test(test_exact_ledgers_with_bme),
        cmocka_unit_test(test_rising_price_deflationary_falling_inflationary),
    };
    return cmocka_run_group_tests_name("bme", tests, NULL, NULL);
}
