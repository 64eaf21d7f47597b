/*
 * x/distribution (models/distribution.c, docs/model.md §5): the fee collector
 * split by hand, in uakt,
 *     validators' share = trunc(fees x (1 - community_tax))
 *     community pool    = fees - validators' share
 *     commission        = trunc(validators' share x validator_commission)
 *     delegators        = validators' share - commission
 *     restaked          = trunc(delegators x restake_share)   (to the bonded pool)
 *     liquid            = delegators - restaked               (to holders)
 * at the extremes of each share, and the identities: the fee collector is
 * emptied, the parts add up to the fees, the ledger's sum is its supply.
 */
#include "test_util.h"

#include "distribution.h"
#include "ledger.h"
#include "params.h"

static void shares(params_t *p, double tax, double commission, double restake)
{
    params_defaults(p);
    p->distribution.community_tax = tax;
    p->distribution.validator_commission = commission;
    p->staking.restake_share = restake;
}

/* Split `fees` on a ledger that already holds other balances; check the
 * accounts moved by exactly the flows, and the identities. */
static distribution_flows_t split(const params_t *p, int64_t fees)
{
    ledger_t l = {0};
    assert_int_equal(ledger_mint(&l, ACCT_HOLDERS, 5000000), 0);
    assert_int_equal(ledger_mint(&l, ACCT_BONDED, 7000000), 0);
    assert_int_equal(ledger_mint(&l, ACCT_COMMUNITY_POOL, 11), 0);
    assert_int_equal(ledger_mint(&l, ACCT_VALIDATORS, 3), 0);
    ledger_day_begin(&l);
    assert_int_equal(ledger_mint(&l, ACCT_FEE_COLLECTOR, fees), 0);
    ledger_t before = l;
    distribution_flows_t f;
    assert_int_equal(distribution_step(p, &l, &f), 0);
    assert_int_equal(l.balance[ACCT_FEE_COLLECTOR], 0);
    assert_true(f.community_pool + f.commission + f.delegators == fees);
    assert_true(f.restaked >= 0 && f.restaked <= f.delegators);
    assert_true(f.community_pool >= 0 && f.commission >= 0);
    assert_true(l.balance[ACCT_COMMUNITY_POOL] == before.balance[ACCT_COMMUNITY_POOL] + f.community_pool);
    assert_true(l.balance[ACCT_VALIDATORS] == before.balance[ACCT_VALIDATORS] + f.commission);
    assert_true(l.balance[ACCT_BONDED] == before.balance[ACCT_BONDED] + f.restaked);
    assert_true(l.balance[ACCT_HOLDERS] == before.balance[ACCT_HOLDERS] + f.delegators - f.restaked);
    assert_true(l.balance[ACCT_UNBONDING] == 0 && l.balance[ACCT_ESCROW] == 0);
    /* moves only: nothing minted or burned by the split */
    assert_true(ledger_sum(&l) == l.supply);
    assert_true(l.supply == before.supply && l.minted == fees && l.burned == 0);
    return f;
}

/* Moved from tests/test_world.c. */
static void test_distribution_split_hand_values(void **state)
{
    (void)state;
    params_t p;
    params_defaults(&p);
    p.distribution.community_tax = 0.40;
    p.distribution.validator_commission = 0.05;
    p.staking.restake_share = 0.5;
    ledger_t l = {0};
    ledger_mint(&l, ACCT_FEE_COLLECTOR, 1000003);
    distribution_flows_t f;
    assert_int_equal(distribution_step(&p, &l, &f), 0);
    /* validators' share trunc(1,000,003 x 0.6) = 600,001; pool gets the rest 400,002;
     * commission trunc(600,001 x 0.05) = 30,000; delegators 570,001; restaked 285,000 */
    assert_int_equal(f.community_pool, 400002);
    assert_int_equal(f.commission, 30000);
    assert_int_equal(f.delegators, 570001);
    assert_int_equal(f.restaked, 285000);
    assert_int_equal(l.balance[ACCT_BONDED], 285000);
    assert_int_equal(l.balance[ACCT_HOLDERS], 285001);
    assert_int_equal(l.balance[ACCT_FEE_COLLECTOR], 0);
}

static void test_a_day_of_akash_2024(void **state)
{
    (void)state;
    params_t p;
    shares(&p, 0.40, 0.05, 0.5);
    /* about day 1's mint: 94,995,123,457 uakt
     * validators trunc(94,995,123,457 x 0.6 = 56,997,074,074.2) = 56,997,074,074
     * pool 94,995,123,457 - 56,997,074,074 = 37,998,049,383
     * commission trunc(56,997,074,074 x 0.05 = 2,849,853,703.7) = 2,849,853,703
     * delegators 56,997,074,074 - 2,849,853,703 = 54,147,220,371
     * restaked trunc(54,147,220,371 x 0.5 = 27,073,610,185.5) = 27,073,610,185
     * liquid 54,147,220,371 - 27,073,610,185 = 27,073,610,186 */
    distribution_flows_t f = split(&p, INT64_C(94995123457));
    assert_true(f.community_pool == INT64_C(37998049383));
    assert_true(f.commission == INT64_C(2849853703));
    assert_true(f.delegators == INT64_C(54147220371));
    assert_true(f.restaked == INT64_C(27073610185));
}

static void test_tax_zero_and_one(void **state)
{
    (void)state;
    params_t p;
    /* tax 0: validators get all 1,000,003; pool 0;
     * commission trunc(1,000,003 x 0.05 = 50,000.15) = 50,000; delegators 950,003;
     * restaked trunc(950,003 x 0.5 = 475,001.5) = 475,001; liquid 475,002 */
    shares(&p, 0.0, 0.05, 0.5);
    distribution_flows_t f = split(&p, 1000003);
    assert_int_equal(f.community_pool, 0);
    assert_int_equal(f.commission, 50000);
    assert_int_equal(f.delegators, 950003);
    assert_int_equal(f.restaked, 475001);
    /* tax 1: validators trunc(1,000,003 x 0) = 0; the pool gets everything */
    shares(&p, 1.0, 0.05, 0.5);
    f = split(&p, 1000003);
    assert_int_equal(f.community_pool, 1000003);
    assert_int_equal(f.commission, 0);
    assert_int_equal(f.delegators, 0);
    assert_int_equal(f.restaked, 0);
}

static void test_commission_one(void **state)
{
    (void)state;
    params_t p;
    /* validators 600,001 (as above), all of it commission: nothing for delegators */
    shares(&p, 0.40, 1.0, 0.5);
    distribution_flows_t f = split(&p, 1000003);
    assert_int_equal(f.community_pool, 400002);
    assert_int_equal(f.commission, 600001);
    assert_int_equal(f.delegators, 0);
    assert_int_equal(f.restaked, 0);
    /* commission 0: delegators get the validators' whole share */
    shares(&p, 0.40, 0.0, 0.5);
    f = split(&p, 1000003);
    assert_int_equal(f.commission, 0);
    assert_int_equal(f.delegators, 600001);
    assert_int_equal(f.restaked, 300000);   /* trunc(600,001 x 0.5 = 300,000.5) */
}

static void test_restake_zero_and_one(void **state)
{
    (void)state;
    params_t p;
    /* delegators 570,001 (as above): restake 0 leaves all liquid, 1 bonds all */
    shares(&p, 0.40, 0.05, 0.0);
    distribution_flows_t f = split(&p, 1000003);
    assert_int_equal(f.delegators, 570001);
    assert_int_equal(f.restaked, 0);
    shares(&p, 0.40, 0.05, 1.0);
    f = split(&p, 1000003);
    assert_int_equal(f.delegators, 570001);
    assert_int_equal(f.restaked, 570001);
}

static void test_zero_and_dust(void **state)
{
    (void)state;
    params_t p;
    shares(&p, 0.40, 0.05, 0.5);
    /* nothing to split: nothing moves */
    distribution_flows_t f = split(&p, 0);
    assert_int_equal(f.community_pool, 0);
    assert_int_equal(f.commission, 0);
    assert_int_equal(f.delegators, 0);
    assert_int_equal(f.restaked, 0);
    /* 1 uakt: validators trunc(0.6) = 0, the dust goes to the pool */
    f = split(&p, 1);
    assert_int_equal(f.community_pool, 1);
    assert_int_equal(f.delegators, 0);
    /* 2 uakt: validators trunc(1.2) = 1, pool 1; commission trunc(0.05) = 0;
     * delegators 1, restaked trunc(0.5) = 0, liquid 1 */
    f = split(&p, 2);
    assert_int_equal(f.community_pool, 1);
    assert_int_equal(f.commission, 0);
    assert_int_equal(f.delegators, 1);
    assert_int_equal(f.restaked, 0);
}

/* For the shipped shares, every split from 0 to 200,000 uakt (and a band
 * around a day's mint) is the exact decimal one, computed in integers:
 * validators = fees x 6 / 10, commission = validators x 5 / 100, restaked =
 * delegators / 2, each rounded down. */
static void test_shipped_shares_are_exact(void **state)
{
    (void)state;
    params_t p;
    shares(&p, 0.40, 0.05, 0.5);
    for (int band = 0; band < 2; band++) {
        int64_t from = band == 0 ? 0 : INT64_C(94995000000);
        for (int64_t fees = from; fees <= from + 200000; fees++) {
            ledger_t l = {0};
            ledger_mint(&l, ACCT_FEE_COLLECTOR, fees);
            distribution_flows_t f;
            assert_int_equal(distribution_step(&p, &l, &f), 0);
            int64_t v = fees * 6 / 10, c = v * 5 / 100, d = v - c;
            if (f.community_pool != fees - v || f.commission != c || f.delegators != d ||
                f.restaked != d / 2 || l.balance[ACCT_FEE_COLLECTOR] != 0)
                fail_msg("fees %lld: pool %lld commission %lld delegators %lld restaked %lld",
                         (long long)fees, (long long)f.community_pool, (long long)f.commission,
                         (long long)f.delegators, (long long)f.restaked);
        }
    }
}

/* trunc(n x rate) in exact decimals, as the chain computes it (cosmos-sdk
 * LegacyDec: fees x (1 - 0.30) of 90 uakt is 63), for rates whose double is
 * just under the decimal (0.7 = 0.69999999999999996), where the double
 * product of an exact multiple falls under the integer and a plain trunc
 * loses 1 uakt (models/round.h, trunc_rate_i64: distribution.c, escrow.c's
 * take fee, flows.c's sell shares, market.c's providers' sale and pool.c).
 * The shipped values (tax 0.40, commission 0.05, restake 0.5) are exact
 * either way (test_shipped_shares_are_exact). */
static void test_decimal_rates_truncate_exactly(void **state)
{
    (void)state;
    params_t p;
    /* tax 0.30 on 90 uakt: validators trunc(90 x 0.7) = 63 exactly, pool 27 */
    shares(&p, 0.30, 0.0, 0.0);
    distribution_flows_t f = split(&p, 90);
    print_message("tax 0.30 of 90 uakt: validators %lld (exact 63), pool %lld (exact 27)\n",
                  (long long)f.delegators, (long long)f.community_pool);
    assert_int_equal(f.community_pool, 27);
    assert_int_equal(f.delegators, 63);
    /* commission 0.35 of 180 uakt: trunc(63.0) = 63 */
    shares(&p, 0.0, 0.35, 0.0);
    f = split(&p, 180);
    assert_int_equal(f.commission, 63);
    /* restake 0.70 of 90 uakt of delegator rewards: trunc(63.0) = 63 */
    shares(&p, 0.0, 0.0, 0.70);
    f = split(&p, 90);
    assert_int_equal(f.restaked, 63);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distribution_split_hand_values),
        cmocka_unit_test(test_a_day_of_akash_2024),
        cmocka_unit_test(test_tax_zero_and_one),
        cmocka_unit_test(test_commission_one),
        cmocka_unit_test(test_restake_zero_and_one),
        cmocka_unit_test(test_zero_and_dust),
        cmocka_unit_test(test_shipped_shares_are_exact),
        cmocka_unit_test(test_decimal_rates_truncate_exactly),
    };
    return cmocka_run_group_tests_name("distribution", tests, NULL, NULL);
}
