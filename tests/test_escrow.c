/*
 * Escrow (models/escrow.c, docs/model.md §9.6; the deposit rule is
 * models/market.c's, where a lease opens): deposits, daily payments, top-ups,
 * closes (a funded lease on its last day pays it and gets the rest back; an
 * unfunded one closes overdrawn paying what is left; a provider's exit refunds
 * everything) and the take fee trunc(withdrawn x rate) per provider and
 * denomination to the community pool. Every day, in base units and for each
 * denomination: tenant spend = provider revenue + take fees, the escrow
 * account equals the sum of the leases' implied balances, and each ledger's
 * sum equals its supply.
 */
#include "test_util.h"
#include "test_world_util.h"

#include <math.h>
#include <string.h>

#include "escrow.h"
#include "leases.h"
#include "providers.h"
#include "rng.h"
#include "world.h"

#define HORIZON 40
#define HOLDERS INT64_C(1000000000000)   /* the tenants' AKT: a million AKT */

typedef struct {
    params_t p;
    providers_t pv;
    leases_t l;
    ledger_t led[DENOM_COUNT];
    bme_t bme;
    bme_flows_t bf;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    params_t *p = &f->p;
    params_defaults(p);
    p->days = HORIZON;
    p->market.max_leases = 64;
    p->market.take_rate_akt = 0.04;
    p->market.take_rate_usdc = 0.20;
    p->providers.initial = 2;
    p->providers.size_sigma = 0.0;          /* 100 vCPU -> 50 + 50 */
    p->providers.gpu_share = 0.0;
    p->resources[RES_CPU].capacity = 100;
    for (int c = 0; c < RES_COUNT; c++)
        if (resource_is_gpu(c))
            p->resources[c].capacity = 0;
    if (providers_alloc(&f->pv, p) != 0 || leases_alloc(&f->l, p) != 0)
        return -1;
    gsl_rng *r = rng_stream_alloc(1, 0, 0, RNG_PROVIDERS);
    providers_reset(&f->pv, p, r);
    gsl_rng_free(r);
    leases_reset(&f->l);
    bme_reset(&f->bme, p);
    if (f->bme.active)
        return -1;
    if (ledger_mint(&f->led[DENOM_AKT], ACCT_HOLDERS, HOLDERS) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    leases_free(&f->l);
    providers_free(&f->pv);
    free(f);
    return 0;
}

/* Open a lease and pay its deposit in, as the market does. */
static long open_lease(fixture_t *f, int32_t provider, denom_t d, int32_t count, int64_t rate,
                       int64_t deposit, int funded, int32_t paid_from, int32_t days, escrow_flows_t *e)
{
    long i = leases_open(&f->l, &f->pv, provider, RES_CPU, d, 100, count, rate, deposit, funded,
                         paid_from, days, 0.0);
    assert_true(i >= 0);
    assert_int_equal(escrow_deposit(f->led, d, deposit, e), 0);
    return i;
}

static int64_t escrow_sum(const leases_t *l, denom_t d, int64_t day)
{
    int64_t s = 0;
    for (size_t i = 0; i < l->used; i++)
        if (l->lease[i].provider >= 0 && l->lease[i].denom == d)
            s += leases_balance(l, i, day);
    return s;
}

/* The identities after day `day`'s settlement. */
static void check_identities(const fixture_t *f, const escrow_flows_t *e, int64_t day)
{
    for (int d = 0; d < DENOM_COUNT; d++) {
        const ledger_t *led = &f->led[d];
        assert_true(ledger_sum(led) == led->supply);
        assert_true(e->paid[d] == e->revenue[d] + e->fees[d]);
        assert_true(led->balance[ACCT_ESCROW] == escrow_sum(&f->l, (denom_t)d, day + 1));
        for (int a = 0; a < ACCT_COUNT; a++)
            assert_true(led->balance[a] >= 0);
    }
}

static int settle(fixture_t *f, int64_t day, escrow_flows_t *e)
{
    return escrow_settle(&f->p, f->led, &f->l, &f->pv, day, e, &f->bme, 5.0, &f->bf);
}

/* docs/model.md §9.6's numbers: 7,000,021 uakt is exactly 7 x 1,000,003, so an
 * unfunded deposit of it pays days 1-7 in full and has nothing left for day 8,
 * when it closes overdrawn (paying 0). (The "then 21 uakt" of the docs needs a
 * deposit of 7,000,042: the next test.) */
static void test_exact_deposit_runs_out(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e0 = {0};
    long i = open_lease(f, 0, DENOM_AKT, 1, 1000003, 7000021, 0, 1, 100, &e0);
    assert_int_equal(f->l.lease[i].close_day, 8);          /* 1 + trunc(7,000,021 / 1,000,003) */
    assert_int_equal(f->l.lease[i].reason, CLOSE_OVERDRAWN);
    int64_t paid = 0;
    for (int64_t day = 1; day <= 8; day++) {
        escrow_flows_t e = {0};
        assert_int_equal(settle(f, day, &e), 0);
        check_identities(f, &e, day);
        /* days 1-7: 1,000,003, fee trunc(1,000,003 x 0.04 = 40,000.12) = 40,000; day 8: 0 */
        assert_int_equal(e.paid[DENOM_AKT], day <= 7 ? 1000003 : 0);
        assert_int_equal(e.fees[DENOM_AKT], day <= 7 ? 40000 : 0);
        assert_int_equal(e.closed[CLOSE_OVERDRAWN], day == 8);
        assert_int_equal(e.refunds[DENOM_AKT], 0);
        assert_int_equal(e.topups[DENOM_AKT], 0);
        paid += e.paid[DENOM_AKT];
    }
    assert_int_equal(paid, 7000021);
    assert_int_equal(f->l.active, 0);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_ESCROW], 0);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_COMMUNITY_POOL], 7 * 40000);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_PROVIDERS], 7 * 960003);
}

/* 7,000,042 = 7 x 1,000,003 + 21: seven full days, then 21 uakt on day 8,
 * when it closes overdrawn. */
static void test_overdrawn_pays_the_remainder(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e0 = {0};
    open_lease(f, 0, DENOM_AKT, 1, 1000003, 7000042, 0, 1, 100, &e0);
    int64_t revenue = 0, fees = 0;
    for (int64_t day = 1; day <= 9; day++) {
        escrow_flows_t e = {0};
        assert_int_equal(settle(f, day, &e), 0);
        check_identities(f, &e, day);
        /* day 8: 21 uakt, fee trunc(21 x 0.04 = 0.84) = 0; day 9: nothing is left */
        int64_t want = day <= 7 ? 1000003 : day == 8 ? 21 : 0;
        assert_int_equal(e.paid[DENOM_AKT], want);
        assert_int_equal(e.fees[DENOM_AKT], day <= 7 ? 40000 : 0);
        assert_int_equal(e.closed[CLOSE_OVERDRAWN], day == 8);
        revenue += e.revenue[DENOM_AKT];
        fees += e.fees[DENOM_AKT];
    }
    /* the whole deposit: 7 x 960,003 + 21 = 6,720,042 to the provider, 280,000 in fees */
    assert_int_equal(revenue, 6720042);
    assert_int_equal(fees, 280000);
    assert_int_equal(revenue + fees, 7000042);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_HOLDERS], HOLDERS - 7000042);
}

/* A funded lease is topped up by what it paid and closes on its last day,
 * paying it, with the rest of its deposit refunded. */
static void test_funded_closes_on_its_last_day(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e0 = {0};
    open_lease(f, 0, DENOM_AKT, 1, 1000003, 7000021, 1, 1, 10, &e0);   /* last day 10 */
    int64_t paid = 0, topups = 0, refunds = 0;
    for (int64_t day = 1; day <= 11; day++) {
        escrow_flows_t e = {0};
        assert_int_equal(settle(f, day, &e), 0);
        check_identities(f, &e, day);
        assert_int_equal(e.paid[DENOM_AKT], day <= 10 ? 1000003 : 0);
        /* days 1-9 topped up; day 10 closes before its payment is counted for top-ups */
        assert_int_equal(e.topups[DENOM_AKT], day <= 9 ? 1000003 : 0);
        /* day 10: balance 7,000,021 - 1,000,003 paid = 6,000,018 back to the tenant */
        assert_int_equal(e.refunds[DENOM_AKT], day == 10 ? 6000018 : 0);
        assert_int_equal(e.closed[CLOSE_END], day == 10);
        if (day <= 9)
            assert_int_equal(f->led[DENOM_AKT].balance[ACCT_ESCROW], 7000021);
        paid += e.paid[DENOM_AKT];
        topups += e.topups[DENOM_AKT];
        refunds += e.refunds[DENOM_AKT];
    }
    /* 10 days: 10,000,030 paid = deposit 7,000,021 + top-ups 9,000,027 - refund 6,000,018 */
    assert_int_equal(paid, 10000030);
    assert_int_equal(7000021 + topups - refunds, paid);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_HOLDERS], HOLDERS - 10000030);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_PROVIDERS], 10 * 960003);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_COMMUNITY_POOL], 10 * 40000);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_ESCROW], 0);
}

/* The fee is per provider and denomination, on the day's sum, truncated:
 * two AKT leases of 12 and 13 uakt at one provider give trunc(25 x 0.04) = 1
 * where per lease it would be 0 + 0. */
static void test_take_fee_per_provider(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e = {0};
    open_lease(f, 0, DENOM_AKT, 1, 12, 84, 1, 1, 20, &e);
    open_lease(f, 0, DENOM_AKT, 1, 13, 91, 1, 1, 20, &e);
    open_lease(f, 1, DENOM_AKT, 1, 24, 168, 1, 1, 20, &e);
    open_lease(f, 0, DENOM_USDC, 1, 5, 35, 1, 1, 20, &e);
    open_lease(f, 1, DENOM_USDC, 1, 4, 28, 1, 1, 20, &e);
    assert_int_equal(e.deposits[DENOM_AKT], 84 + 91 + 168);
    assert_int_equal(e.deposits[DENOM_USDC], 35 + 28);
    escrow_flows_t s = {0};
    assert_int_equal(settle(f, 1, &s), 0);
    check_identities(f, &s, 1);
    /* AKT: provider 0 trunc(25 x 0.04 = 1.0) = 1, provider 1 trunc(24 x 0.04 = 0.96) = 0 */
    assert_int_equal(s.paid[DENOM_AKT], 49);
    assert_int_equal(s.fees[DENOM_AKT], 1);
    assert_int_equal(s.revenue[DENOM_AKT], 48);
    assert_int_equal(f->pv.revenue_today[DENOM_AKT][0], 24);
    assert_int_equal(f->pv.revenue_today[DENOM_AKT][1], 24);
    /* USDC: provider 0 trunc(5 x 0.2 = 1.0) = 1, provider 1 trunc(4 x 0.2 = 0.8) = 0 */
    assert_int_equal(s.paid[DENOM_USDC], 9);
    assert_int_equal(s.fees[DENOM_USDC], 1);
    assert_int_equal(s.revenue[DENOM_USDC], 8);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_COMMUNITY_POOL], 1);
    assert_int_equal(f->led[DENOM_USDC].balance[ACCT_COMMUNITY_POOL], 1);
    assert_int_equal(f->led[DENOM_USDC].balance[ACCT_PROVIDERS], 8);
}

static void test_take_rates_zero_and_one(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e = {0};
    open_lease(f, 0, DENOM_AKT, 1, 1000003, 7000021, 1, 1, 20, &e);
    open_lease(f, 1, DENOM_USDC, 1, 2385000, 16695000, 1, 1, 20, &e);
    /* no fee: providers get everything */
    f->p.market.take_rate_akt = 0.0;
    f->p.market.take_rate_usdc = 0.0;
    escrow_flows_t s = {0};
    assert_int_equal(settle(f, 1, &s), 0);
    check_identities(f, &s, 1);
    assert_int_equal(s.fees[DENOM_AKT], 0);
    assert_int_equal(s.revenue[DENOM_AKT], 1000003);
    assert_int_equal(s.fees[DENOM_USDC], 0);
    assert_int_equal(s.revenue[DENOM_USDC], 2385000);
    /* the whole payment in fees: providers get nothing */
    f->p.market.take_rate_akt = 1.0;
    f->p.market.take_rate_usdc = 1.0;
    memset(&s, 0, sizeof s);
    assert_int_equal(settle(f, 2, &s), 0);
    check_identities(f, &s, 2);
    assert_int_equal(s.fees[DENOM_AKT], 1000003);
    assert_int_equal(s.revenue[DENOM_AKT], 0);
    assert_int_equal(s.fees[DENOM_USDC], 2385000);
    assert_int_equal(s.revenue[DENOM_USDC], 0);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_PROVIDERS], 1000003);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_COMMUNITY_POOL], 1000003);
}

/* A provider that leaves closes its leases before the day's payments: nothing
 * is paid, the whole balance goes back. */
static void test_provider_close_refunds_the_balance(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e = {0};
    long u = open_lease(f, 0, DENOM_AKT, 1, 1000003, 7000042, 0, 1, 100, &e);
    long g = open_lease(f, 0, DENOM_USDC, 2, 2000, 14000, 1, 1, 100, &e);
    for (int64_t day = 1; day <= 3; day++) {
        escrow_flows_t s = {0};
        assert_int_equal(settle(f, day, &s), 0);
        check_identities(f, &s, day);
    }
    /* day 4: the unfunded one holds 7,000,042 - 3 x 1,000,003 = 4,000,033, the funded one
     * its deposit 14,000 */
    escrow_flows_t s = {0};
    assert_int_equal(escrow_close(f->led, &f->l, &f->pv, (size_t)u, 4, CLOSE_PROVIDER, &s), 0);
    assert_int_equal(escrow_close(f->led, &f->l, &f->pv, (size_t)g, 4, CLOSE_PROVIDER, &s), 0);
    assert_int_equal(s.refunds[DENOM_AKT], 4000033);
    assert_int_equal(s.refunds[DENOM_USDC], 14000);
    assert_int_equal(s.closed[CLOSE_PROVIDER], 1 + 2);      /* deployments */
    assert_int_equal(f->pv.paid_today[DENOM_AKT][0], 0);
    assert_int_equal(f->pv.paid_today[DENOM_USDC][0], 0);
    providers_exit(&f->pv, 0);
    assert_int_equal(settle(f, 4, &s), 0);
    check_identities(f, &s, 4);
    assert_int_equal(s.paid[DENOM_AKT], 0);
    assert_int_equal(s.paid[DENOM_USDC], 0);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_ESCROW], 0);
    assert_int_equal(f->led[DENOM_USDC].balance[ACCT_ESCROW], 0);
    /* the tenant paid 3 days of AKT */
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_HOLDERS], HOLDERS - 3 * 1000003);
}

/* A lease of 3 deployments settles as 3 leases: dry on 1 + trunc(21,000,126 /
 * 3,000,009) = 8 with 3 x 21 = 63 uakt left, paid that day. */
static void test_cohort_is_count_leases(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e = {0};
    long i = open_lease(f, 0, DENOM_AKT, 3, 3000009, 21000126, 0, 1, 100, &e);
    assert_int_equal(f->l.lease[i].close_day, 8);
    assert_int_equal(f->pv.used[RES_CPU][0], 300);
    int64_t paid = 0;
    for (int64_t day = 1; day <= 8; day++) {
        escrow_flows_t s = {0};
        assert_int_equal(settle(f, day, &s), 0);
        check_identities(f, &s, day);
        /* fee trunc(3,000,009 x 0.04 = 120,000.36) = 120,000 = 3 x 40,000; day 8
         * trunc(63 x 0.04 = 2.52) = 2, as for 3 leases at one provider (the fee is
         * on the provider's day) */
        assert_int_equal(s.fees[DENOM_AKT], day <= 7 ? 120000 : 2);
        assert_int_equal(s.paid[DENOM_AKT], day <= 7 ? 3000009 : 63);
        assert_int_equal(s.closed[CLOSE_OVERDRAWN], day == 8 ? 3 : 0);
        paid += s.paid[DENOM_AKT];
    }
    assert_int_equal(paid, 3 * 7000042);
    assert_int_equal(f->pv.used[RES_CPU][0], 0);
}

/* USDC comes from outside: what tenants pay in is minted into the USDC
 * ledger first, so its supply is the USDC brought in, and refunds stay with
 * the tenants (holders). */
static void test_usdc_is_brought_in(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e = {0};
    open_lease(f, 0, DENOM_USDC, 1, 2000000, 14000000, 1, 1, 5, &e);    /* last day 5 */
    const ledger_t *u = &f->led[DENOM_USDC];
    assert_int_equal(u->supply, 14000000);
    assert_int_equal(u->balance[ACCT_HOLDERS], 0);
    assert_int_equal(u->balance[ACCT_ESCROW], 14000000);
    int64_t topups = 0;
    for (int64_t day = 1; day <= 5; day++) {
        escrow_flows_t s = {0};
        assert_int_equal(settle(f, day, &s), 0);
        check_identities(f, &s, day);
        topups += s.topups[DENOM_USDC];
    }
    /* 4 top-ups of 2,000,000; day 5 refunds 14,000,000 - 2,000,000 */
    assert_int_equal(topups, 8000000);
    assert_int_equal(u->supply, 14000000 + 8000000);
    assert_int_equal(u->balance[ACCT_HOLDERS], 12000000);
    /* 5 days of 2,000,000: fee trunc(2,000,000 x 0.2) = 400,000 a day */
    assert_int_equal(u->balance[ACCT_PROVIDERS], 5 * 1600000);
    assert_int_equal(u->balance[ACCT_COMMUNITY_POOL], 5 * 400000);
    assert_int_equal(u->balance[ACCT_ESCROW], 0);
    /* the AKT ledger saw nothing */
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_HOLDERS], HOLDERS);
}

/* A one-day lease closes on the day it opens, after paying that one day. */
static void test_one_day_lease(void **state)
{
    fixture_t *f = *state;
    escrow_flows_t e = {0};
    long a = open_lease(f, 0, DENOM_AKT, 1, 1000003, 7000021, 1, 3, 1, &e);    /* funded */
    long b = open_lease(f, 1, DENOM_AKT, 2, 2000006, 14000042, 0, 3, 1, &e);   /* unfunded, 2 */
    assert_int_equal(f->l.lease[a].close_day, 3);
    assert_int_equal(f->l.lease[b].close_day, 3);
    assert_int_equal(f->l.lease[b].reason, CLOSE_END);       /* 3 before its dry day 3 + 7 */
    escrow_flows_t s = {0};
    assert_int_equal(settle(f, 3, &s), 0);
    check_identities(f, &s, 3);
    /* paid 1,000,003 + 2,000,006; refunds 6,000,018 + 12,000,036; no top-up */
    assert_int_equal(s.paid[DENOM_AKT], 3000009);
    assert_int_equal(s.refunds[DENOM_AKT], 18000054);
    assert_int_equal(s.topups[DENOM_AKT], 0);
    assert_int_equal(s.closed[CLOSE_END], 3);
    /* fees trunc(1,000,003 x 0.04) = 40,000 and trunc(2,000,006 x 0.04 = 80,000.24) = 80,000 */
    assert_int_equal(s.fees[DENOM_AKT], 120000);
    assert_int_equal(f->l.active, 0);
    assert_int_equal(f->led[DENOM_AKT].balance[ACCT_HOLDERS], HOLDERS - 3000009);
}

/* Nothing to settle: no lease, no movement, and an empty calendar day. */
static void test_empty_table(void **state)
{
    fixture_t *f = *state;
    ledger_t before[DENOM_COUNT];
    memcpy(before, f->led, sizeof before);
    for (int64_t day = 1; day <= 3; day++) {
        escrow_flows_t s = {0};
        assert_int_equal(settle(f, day, &s), 0);
        check_identities(f, &s, day);
        for (int d = 0; d < DENOM_COUNT; d++)
            assert_int_equal(s.paid[d] + s.topups[d] + s.refunds[d] + s.deposits[d], 0);
    }
    assert_memory_equal(before, f->led, sizeof before);
}

/* Leases of both denominations, funded and not, cohorts, opening on many days
 * and closing at their end, overdrawn or by a provider's exit: the identities
 * every day. */
static void test_identities_every_day(void **state)
{
    fixture_t *f = *state;
    int64_t closes[3] = {0};
    for (int64_t day = 1; day <= HORIZON; day++) {
        escrow_flows_t e = {0};
        if (day <= 25) {
            int32_t k = (int32_t)day;
            denom_t d = k % 3 == 0 ? DENOM_USDC : DENOM_AKT;
            int64_t rate = 1000 + 37 * k;
            int32_t count = 1 + k % 3;
            int funded = k % 2;
            /* deposits between 3 and 9 days of the rate, some not whole days */
            int64_t deposit = count * rate * (3 + k % 7) + (k % 4) * 11;
            open_lease(f, k % 2, d, count, count * rate, deposit, funded, k, 2 + k % 11, &e);
        }
        if (day == 30) {
            /* provider 1 leaves: its leases close first */
            while (f->pv.lease_head[1] >= 0)
                assert_int_equal(escrow_close(f->led, &f->l, &f->pv, (size_t)f->pv.lease_head[1], day,
                                              CLOSE_PROVIDER, &e), 0);
            providers_exit(&f->pv, 1);
        }
        assert_int_equal(settle(f, day, &e), 0);
        check_identities(f, &e, day);
        for (int r = 0; r < 3; r++)
            closes[r] += e.closed[r];
    }
    assert_true(closes[CLOSE_END] > 0 && closes[CLOSE_OVERDRAWN] > 0);
    int64_t cap[RES_COUNT], used[RES_COUNT];
    providers_class_totals(&f->pv, cap, used);
    assert_int_equal(cap[RES_CPU], 50000);      /* provider 0 only */
}

/* --- the deposit a lease opens with (models/market.c) --------------------- */

/* One provider offering CPU at exactly cloud x ratio = $0.50 per vCPU-hour
 * (markup 1, no repricing), AKT at a constant price, no orders but ours. */
static world_t *one_offer(params_t *p, double akt_usd)
{
    params_defaults(p);
    p->days = 30;
    p->providers.initial = 1;
    p->providers.entry_per_day = 0;
    p->providers.markup_adapt_per_day = 0.0;
    p->resources[RES_CPU].capacity = 1000;
    p->resources[RES_CPU].cloud_usd_per_hour = 1.0;
    p->resources[RES_CPU].price_ratio = 0.5;
    for (int c = 0; c < RES_COUNT; c++)
        if (resource_is_gpu(c)) {
            p->resources[c].capacity = 0;
            p->resources[c].demand_share = 0;
        }
    p->tenants.orders_per_day = 0;
    p->price.initial_usd = akt_usd;
    p->price.volatility_per_year = 0.0;
    world_t *w = make_world(p);
    w->market.pv.log_markup[0] = 0.0;          /* markup 1 from the first repricing */
    return w;
}

/* Push one order of `units` milli-vCPU and step day 1; the lease it opened. */
static const lease_t *order_one(world_t *w, denom_t d, int32_t units)
{
    order_t o = { .cls = RES_CPU, .denom = (uint8_t)d, .funded = 1, .tries_left = 0, .days = 10,
                  .units = units, .count = 1, .log_max_price = 10.0, .log_min_price = 10.0 };
    assert_int_equal(tenants_push(&w->market.tenants, &o), 0);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(world_step(w, &err), SIM_OK);
    assert_int_equal(w->market.leases.active, 1);
    assert_true(w->market.pv.markup[0] == 1.0);
    return &w->market.leases.lease[0];
}

static void test_deposit_is_days_of_the_rate(void **state)
{
    (void)state;
    params_t p;
    /* 2 vCPU at $0.50/h: $24 a day */
    world_t *w = one_offer(&p, 5.0);
    const lease_t *l = order_one(w, DENOM_USDC, 2000);
    assert_int_equal(l->rate, 24000000);               /* uusdc a day */
    assert_int_equal(l->deposit, 168000000);           /* 7 days: over the 5 USDC minimum */
    assert_int_equal(w->market.today.escrow.deposits[DENOM_USDC], 168000000);
    world_destroy(w);
    /* in AKT at $5: 4.8 AKT a day, 33.6 AKT deposited (over the 0.5 AKT minimum) */
    w = one_offer(&p, 5.0);
    l = order_one(w, DENOM_AKT, 2000);
    assert_int_equal(l->rate, 4800000);
    assert_int_equal(l->deposit, 33600000);
    assert_int_equal(w->market.today.escrow.deposits[DENOM_AKT], 33600000);
    world_destroy(w);
}

static void test_deposit_minimum_binds(void **state)
{
    (void)state;
    params_t p;
    /* 0.1 vCPU at $0.50/h: $1.20 a day; 7 days = $8.40 in USDC, under a 10 USDC minimum */
    world_t *w = one_offer(&p, 5.0);
    w->own.market.min_deposit_uusdc = 10000000;
    const lease_t *l = order_one(w, DENOM_USDC, 100);
    assert_int_equal(l->rate, 1200000);
    assert_int_equal(l->deposit, 10000000);
    world_destroy(w);
    /* in AKT at $5: 0.24 AKT a day, 7 days 1.68 AKT, under a 2 AKT minimum */
    w = one_offer(&p, 5.0);
    w->own.market.min_deposit_uakt = 2000000;
    l = order_one(w, DENOM_AKT, 100);
    assert_int_equal(l->rate, 240000);
    assert_int_equal(l->deposit, 2000000);
    world_destroy(w);
    /* exactly at the minimum: 1.68 AKT */
    w = one_offer(&p, 5.0);
    w->own.market.min_deposit_uakt = 1680000;
    l = order_one(w, DENOM_AKT, 100);
    assert_int_equal(l->deposit, 1680000);
    world_destroy(w);
}

static void test_rate_rounds_to_nearest_deposit_up(void **state)
{
    (void)state;
    params_t p;
    /* $24 a day at $9/AKT: 2.6666... AKT -> 2,666,667 uakt (nearest); 7 days 18,666,669 */
    world_t *w = one_offer(&p, 9.0);
    const lease_t *l = order_one(w, DENOM_AKT, 2000);
    assert_int_equal(l->rate, 2666667);
    assert_int_equal(l->deposit, 18666669);
    world_destroy(w);
    /* $24 a day at $7/AKT: 3.4285714 AKT -> 3,428,571 (nearest); 7.5 days
     * 25,714,282.5 -> 25,714,283 (up) */
    w = one_offer(&p, 7.0);
    w->own.market.deposit_days = 7.5;
    l = order_one(w, DENOM_AKT, 2000);
    assert_int_equal(l->rate, 3428571);
    assert_int_equal(l->deposit, 25714283);
    world_destroy(w);
    /* a price so low the rate rounds to 0: it is 1 base unit a day, and the
     * deposit the 5 USDC minimum */
    w = one_offer(&p, 5.0);
    w->own.resources[RES_CPU].cloud_usd_per_hour = 1e-9;
    l = order_one(w, DENOM_USDC, 100);
    assert_int_equal(l->rate, 1);
    assert_int_equal(l->deposit, 5000000);
    world_destroy(w);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_exact_deposit_runs_out),
        T(test_overdrawn_pays_the_remainder),
        T(test_funded_closes_on_its_last_day),
        T(test_one_day_lease),
        T(test_take_fee_per_provider),
        T(test_take_rates_zero_and_one),
        T(test_provider_close_refunds_the_balance),
        T(test_cohort_is_count_leases),
        T(test_usdc_is_brought_in),
        T(test_empty_table),
        T(test_identities_every_day),
        cmocka_unit_test(test_deposit_is_days_of_the_rate),
        cmocka_unit_test(test_deposit_minimum_binds),
        cmocka_unit_test(test_rate_rounds_to_nearest_deposit_up),
    };
#undef T
    return cmocka_run_group_tests_name("escrow", tests, NULL, NULL);
}
