/*
 * Flows (models/flows.c, docs/model.md §10): who sells and who buys AKT a day,
 * in uakt. Sells: providers' AKT earnings sold (given), delegators
 * trunc(liquid rewards x flows.delegator_sell_share), validators
 * trunc(commission x flows.validator_sell_share), tenants' AKT refunds. Buys:
 * tenants' AKT deposits and top-ups and the AKT they turn into ACT under BME,
 * and outside buyers' trunc(flows.outside_buy_usd_per_day / price) AKT. Net =
 * buy - sell. By hand on flows_compute, then every day of whole runs against
 * the market's, the distribution's and the ledger's own numbers.
 */
#include "test_util.h"
#include "test_world_util.h"

#include <string.h>

#include "flows.h"
#include "world.h"

static void sell_shares(params_t *p, double delegators, double validators, double outside_usd)
{
    params_defaults(p);
    p->flows.delegator_sell_share = delegators;
    p->flows.validator_sell_share = validators;
    p->flows.outside_buy_usd_per_day = outside_usd;
}

/* The distribution of tests/test_distribution.c's hand example (1,000,003 uakt
 * at tax 0.4, commission 0.05, restake 0.5). */
static distribution_flows_t hand_distribution(void)
{
    distribution_flows_t d = { .community_pool = 400002, .commission = 30000,
                               .delegators = 570001, .restaked = 285000 };
    return d;
}

static void test_hand_values(void **state)
{
    (void)state;
    params_t p;
    sell_shares(&p, 0.5, 0.5, 1000.0);
    escrow_flows_t e;
    memset(&e, 0, sizeof e);
    e.deposits[DENOM_AKT] = 7000021;
    e.topups[DENOM_AKT] = 1000003;
    e.refunds[DENOM_AKT] = 2000006;
    bme_flows_t b;
    memset(&b, 0, sizeof b);
    b.akt_in = 500;
    distribution_flows_t d = hand_distribution();
    flows_t f;
    flows_compute(&p, &e, &b, 960003, &d, 3.0, &f);
    /* providers sold 960,003 (given)
     * delegators: liquid 570,001 - 285,000 = 285,001, x 0.5 = 142,500.5 -> 142,500
     * validators: 30,000 x 0.5 = 15,000
     * tenants sell their refunds: 2,000,006
     * sell = 960,003 + 142,500 + 15,000 + 2,000,006 = 3,117,509 */
    assert_int_equal(f.sell_providers, 960003);
    assert_int_equal(f.sell_delegators, 142500);
    assert_int_equal(f.sell_validators, 15000);
    assert_int_equal(f.sell_tenants, 2000006);
    assert_int_equal(f.sell, 3117509);
    /* tenants buy 7,000,021 + 1,000,003 + 500 (into ACT) = 8,000,524
     * outside: $1,000 / $3 = 333.333... AKT -> 333,333,333 uakt (truncated)
     * buy = 8,000,524 + 333,333,333 = 341,333,857; net = 341,333,857 - 3,117,509 = 338,216,348 */
    assert_int_equal(f.buy_tenants, 8000524);
    assert_int_equal(f.buy_outside, 333333333);
    assert_int_equal(f.buy, 341333857);
    assert_int_equal(f.net, 338216348);
}

static void test_sell_shares_zero_and_one(void **state)
{
    (void)state;
    params_t p;
    escrow_flows_t e;
    memset(&e, 0, sizeof e);
    bme_flows_t b;
    memset(&b, 0, sizeof b);
    distribution_flows_t d = hand_distribution();
    flows_t f;
    /* nobody sells rewards: only the providers' 1,000 */
    sell_shares(&p, 0.0, 0.0, 0.0);
    flows_compute(&p, &e, &b, 1000, &d, 5.0, &f);
    assert_int_equal(f.sell_delegators, 0);
    assert_int_equal(f.sell_validators, 0);
    assert_int_equal(f.sell, 1000);
    assert_int_equal(f.buy, 0);
    assert_int_equal(f.net, -1000);
    /* everyone sells everything liquid: 285,001 + 30,000 + 1,000 = 316,001; the
     * restaked 285,000 are bonded, not sold */
    sell_shares(&p, 1.0, 1.0, 0.0);
    flows_compute(&p, &e, &b, 1000, &d, 5.0, &f);
    assert_int_equal(f.sell_delegators, 285001);
    assert_int_equal(f.sell_validators, 30000);
    assert_int_equal(f.sell, 316001);
    assert_int_equal(f.net, -316001);
}

static void test_nothing_moves(void **state)
{
    (void)state;
    params_t p;
    sell_shares(&p, 0.5, 0.5, 0.0);
    escrow_flows_t e;
    memset(&e, 0, sizeof e);
    bme_flows_t b;
    memset(&b, 0, sizeof b);
    distribution_flows_t d;
    memset(&d, 0, sizeof d);
    flows_t f;
    memset(&f, 0x5a, sizeof f);   /* every field is written */
    flows_compute(&p, &e, &b, 0, &d, 5.0, &f);
    assert_int_equal(f.sell_providers, 0);
    assert_int_equal(f.sell_delegators, 0);
    assert_int_equal(f.sell_validators, 0);
    assert_int_equal(f.sell_tenants, 0);
    assert_int_equal(f.buy_tenants, 0);
    assert_int_equal(f.buy_outside, 0);
    assert_int_equal(f.sell, 0);
    assert_int_equal(f.buy, 0);
    assert_int_equal(f.net, 0);
}

static void test_only_akt_counts(void **state)
{
    (void)state;
    params_t p;
    sell_shares(&p, 0.5, 0.5, 0.0);
    escrow_flows_t e;
    memset(&e, 0, sizeof e);
    /* USDC and ACT move on their own ledgers: no AKT changes hands for them */
    for (int k = DENOM_USDC; k < DENOM_COUNT; k++) {
        e.deposits[k] = 1000000;
        e.topups[k] = 2000000;
        e.refunds[k] = 3000000;
        e.paid[k] = e.revenue[k] = 4000000;
    }
    bme_flows_t b;
    memset(&b, 0, sizeof b);
    b.act_minted = 123456;      /* ACT minted and burned are not AKT either ... */
    b.act_burned = 654321;
    b.akt_out = 777;            /* ... and what providers got for their ACT reaches flows
                                 * only through the providers' sale (provider_sold) */
    distribution_flows_t d;
    memset(&d, 0, sizeof d);
    flows_t f;
    flows_compute(&p, &e, &b, 0, &d, 5.0, &f);
    assert_int_equal(f.sell, 0);
    assert_int_equal(f.buy, 0);
    assert_int_equal(f.net, 0);
}

static void test_outside_buy_truncates_to_uakt(void **state)
{
    (void)state;
    params_t p;
    escrow_flows_t e;
    memset(&e, 0, sizeof e);
    bme_flows_t b;
    memset(&b, 0, sizeof b);
    distribution_flows_t d;
    memset(&d, 0, sizeof d);
    flows_t f;
    /* $1 at $0.30: 3.333... AKT -> 3,333,333 uakt */
    sell_shares(&p, 0.5, 0.5, 1.0);
    flows_compute(&p, &e, &b, 0, &d, 0.30, &f);
    assert_int_equal(f.buy_outside, 3333333);
    assert_int_equal(f.net, 3333333);
    /* $50,000 at $5: 10,000 AKT exactly */
    sell_shares(&p, 0.5, 0.5, 50000.0);
    flows_compute(&p, &e, &b, 0, &d, 5.0, &f);
    assert_int_equal(f.buy_outside, INT64_C(10000000000));
    /* $0.0000049 at $5: 0.98 uakt -> 0 */
    sell_shares(&p, 0.5, 0.5, 0.0000049);
    flows_compute(&p, &e, &b, 0, &d, 5.0, &f);
    assert_int_equal(f.buy_outside, 0);
    /* odd liquid rewards at share 0.5: 1 uakt -> trunc(0.5) = 0 sold */
    d.delegators = 3;
    d.restaked = 2;
    d.commission = 1;
    flows_compute(&p, &e, &b, 0, &d, 5.0, &f);
    assert_int_equal(f.sell_delegators, 0);
    assert_int_equal(f.sell_validators, 0);
}

/* Every day of a small market (AKT and USDC leases, or ACT under BME) at a
 * constant $5: the flows are the day's escrow, distribution and provider
 * sales, and the providers' account moves by their AKT earnings less what
 * they sold, trunc(earnings x providers.akt_sell_share). */
static void run_flows(int bme)
{
    params_t p;
    params_defaults(&p);
    p.days = 90;
    p.price.volatility_per_year = 0.0;      /* $5 every day */
    p.resources[RES_CPU].capacity = 2000;
    p.providers.initial = 12;
    p.tenants.orders_per_day = 60;
    p.tenants.unfunded_share = 0.3;         /* refunds and overdrafts both happen */
    p.providers.akt_sell_share = 0.5;
    p.flows.delegator_sell_share = 0.25;
    p.flows.validator_sell_share = 0.75;
    p.flows.outside_buy_usd_per_day = 1000.0;
    if (bme)
        p.market.payment = PAYMENT_BME;
    world_t *w = make_world(&p);
    sim_error_t err;
    sim_error_clear(&err);
    int64_t sold_days = 0, refund_days = 0, buy_days = 0;
    for (int day = 1; day <= p.days; day++) {
        int64_t providers_before = w->ledger[DENOM_AKT].balance[ACCT_PROVIDERS];
        assert_int_equal(world_step(w, &err), SIM_OK);
        assert_true(w->price.usd == 5.0);
        const market_day_t *m = &w->market.today;
        const flows_t *f = &w->flows;
        int64_t earned = m->escrow.revenue[DENOM_AKT] + m->bme.akt_out;
        /* trunc(earned x 0.5) = earned / 2 in integers */
        assert_true(m->provider_akt_sold == earned / 2);
        assert_true(w->ledger[DENOM_AKT].balance[ACCT_PROVIDERS] - providers_before ==
                    earned - m->provider_akt_sold);
        assert_true(f->sell_providers == m->provider_akt_sold + w->pool.provider_sold);
        int64_t liquid = w->distribution.delegators - w->distribution.restaked;
        assert_true(f->sell_delegators == liquid / 4);                           /* x 0.25 */
        assert_true(f->sell_validators == w->distribution.commission * 3 / 4);  /* x 0.75 */
        assert_true(f->sell_tenants == m->escrow.refunds[DENOM_AKT]);
        assert_true(f->buy_tenants == m->escrow.deposits[DENOM_AKT] + m->escrow.topups[DENOM_AKT] +
                                      m->bme.akt_in);
        assert_true(f->buy_outside == 200000000);   /* $1,000 / $5 = 200 AKT */
        assert_true(f->sell == f->sell_providers + f->sell_delegators + f->sell_validators + f->sell_tenants);
        assert_true(f->buy == f->buy_tenants + f->buy_outside);
        assert_true(f->net == f->buy - f->sell);
        if (bme) {
            assert_int_equal(m->escrow.deposits[DENOM_AKT], 0);   /* every lease in ACT */
            assert_int_equal(m->escrow.refunds[DENOM_AKT], 0);
        }
        sold_days += m->provider_akt_sold > 0;
        refund_days += f->sell_tenants > 0;
        buy_days += f->buy_tenants > 0;
    }
    /* under BME tenants mint ACT only when their refunded ACT does not cover the day */
    assert_true(sold_days > 80 && buy_days > (bme ? 30 : 80));
    assert_true(bme ? refund_days == 0 : refund_days > 30);
    world_destroy(w);
}

static void test_flows_of_a_run(void **state)
{
    (void)state;
    run_flows(0);
}

static void test_flows_of_a_bme_run(void **state)
{
    (void)state;
    run_flows(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_values),
        cmocka_unit_test(test_sell_shares_zero_and_one),
        cmocka_unit_test(test_nothing_moves),
        cmocka_unit_test(test_only_akt_counts),
        cmocka_unit_test(test_outside_buy_truncates_to_uakt),
        cmocka_unit_test(test_flows_of_a_run),
        cmocka_unit_test(test_flows_of_a_bme_run),
    };
    return cmocka_run_group_tests_name("flows", tests, NULL, NULL);
}
