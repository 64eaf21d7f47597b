/* The exact ledger: moves, mints and burns keep sum == supply; overdrafts are refused. */
#include "test_util.h"

#include "ledger.h"

static void test_moves_keep_the_identities(void **state)
{
    (void)state;
    ledger_t l = {0};
    assert_int_equal(ledger_mint(&l, ACCT_HOLDERS, 2385000), 0);
    ledger_day_begin(&l);
    int64_t before = l.supply;
    assert_int_equal(ledger_transfer(&l, ACCT_HOLDERS, ACCT_BONDED, 1000001), 0);
    assert_int_equal(ledger_mint(&l, ACCT_FEE_COLLECTOR, 777), 0);
    assert_int_equal(ledger_burn(&l, ACCT_BONDED, 1), 0);
    assert_int_equal(l.balance[ACCT_HOLDERS], 1384999);
    assert_int_equal(l.balance[ACCT_BONDED], 1000000);
    assert_int_equal(l.balance[ACCT_FEE_COLLECTOR], 777);
    assert_int_equal(l.minted, 777);
    assert_int_equal(l.burned, 1);
    assert_int_equal(ledger_sum(&l), l.supply);
    assert_int_equal(l.supply, before + l.minted - l.burned);
}

static void test_overdrafts_and_negative_amounts_are_refused(void **state)
{
    (void)state;
    ledger_t l = {0};
    ledger_mint(&l, ACCT_HOLDERS, 10);
    ledger_t copy = l;
    assert_int_equal(ledger_transfer(&l, ACCT_HOLDERS, ACCT_BONDED, 11), -1);
    assert_int_equal(ledger_transfer(&l, ACCT_HOLDERS, ACCT_BONDED, -1), -1);
    assert_int_equal(ledger_burn(&l, ACCT_BONDED, 1), -1);
    assert_int_equal(ledger_mint(&l, ACCT_BONDED, -5), -1);
    assert_int_equal(ledger_mint(&l, ACCT_BONDED, INT64_MAX), -1);
    assert_memory_equal(&l, &copy, sizeof l);   /* nothing moved */
}

static void test_account_names(void **state)
{
    (void)state;
    assert_string_equal(ledger_account_name(ACCT_COMMUNITY_POOL), "community_pool");
    assert_string_equal(ledger_account_name(ACCT_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moves_keep_the_identities),
        cmocka_unit_test(test_overdrafts_and_negative_amounts_are_refused),
        cmocka_unit_test(test_account_names),
    };
    return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
